/**
 * RegistryClient (src/registry.ts): retries, Retry-After, timeouts and the budget, the token list's
 * paging and where `urls.next` may lead, body caps, redirects, 431, the dist-tag PUT, close(),
 * proxies, TLS, the egress address, and the pure helpers. Scripted answers come from undici's
 * MockAgent (the client's 5th argument); timeouts, resets, streams, proxies, TLS and socket
 * addresses need real loopback servers, and every one of them is closed after its test.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { getEventListeners } from 'node:events'
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { MockAgent } from 'undici/index.js'
import {
  BODY_LIMITS,
  DEFAULT_RETRY,
  RegistryClient,
  describeStatus,
  retryAfterMs,
  retryPolicy,
  type RetryPolicy
} from '../src/registry.js'
import { maskSecret } from '../src/secrets.js'
import { FakeRegistry, fakeToken, otherEntries, tokenEntry } from './helpers/fake-registry.js'
import { captureStdout } from './helpers/stdout.js'
import { selfSignedCert } from './helpers/tls.js'

const execFileAsync = promisify(execFile)
const ORIGIN = 'https://registry.example.test'
const REGISTRY = new URL(`${ORIGIN}/`)
const FIRST_PAGE = '/-/npm/v1/tokens?perPage=100'

// --- bookkeeping: everything a test starts is closed after it -------------------------------

let clients: RegistryClient[] = []
let closers: (() => Promise<void>)[] = []
let mock: MockAgent
/** Every request the MockAgent answered, in order. */
let seen: Seen[] = []

beforeEach(() => {
  mock = new MockAgent()
  mock.disableNetConnect()
  seen = []
})

afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()))
  await Promise.all(closers.map((close) => close()))
  await mock.close().catch(() => undefined) // closed already by a client's close()
  clients = []
  closers = []
  jest.restoreAllMocks()
})

interface Seen {
  origin: string
  method: string
  path: string
  headers: Record<string, string>
  body?: string
}

function headerObject(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2)
      out[String(raw[i]).toLowerCase()] = String(raw[i + 1])
  } else if (raw && typeof raw === 'object') {
    const entries = raw instanceof Headers ? [...raw.entries()] : Object.entries(raw)
    for (const [name, value] of entries) out[name.toLowerCase()] = String(value)
  }
  return out
}

/**
 * The MockAgent answers `times` requests to `route` (a path, or a test on it) with `status` and
 * `body` (an object is sent as JSON); each request is recorded in `seen`.
 */
function answer(
  route: string | ((path: string) => boolean),
  status: number,
  body?: unknown,
  options: {
    headers?: Record<string, string>
    times?: number | 'always'
    method?: string
    origin?: string
  } = {}
): void {
  const origin = options.origin ?? ORIGIN
  const scope = mock
    .get(origin)
    .intercept({ path: route, method: options.method ?? 'GET' })
    .reply((opts) => {
      seen.push({
        origin,
        method: opts.method,
        path: opts.path,
        headers: headerObject(opts.headers),
        body: typeof opts.body === 'string' ? opts.body : undefined
      })
      return {
        statusCode: status,
        data: typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body),
        responseOptions: { headers: { 'content-type': 'application/json', ...options.headers } }
      }
    })
  if (options.times === 'always') scope.persist()
  else if (options.times) scope.times(options.times)
}

/** A client on the MockAgent whose waits are recorded and skipped. */
function mockClient(
  token: string | undefined,
  retry: Partial<RetryPolicy> = {},
  registry: URL = REGISTRY
): { client: RegistryClient; sleeps: number[] } {
  const sleeps: number[] = []
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms)
    return Promise.resolve()
  }
  const client = new RegistryClient(registry, token, { ...DEFAULT_RETRY, ...retry }, sleep, mock)
  clients.push(client)
  return { client, sleeps }
}

async function startRegistry(token?: string): Promise<FakeRegistry> {
  const registry = await FakeRegistry.start({ token })
  closers.push(() => registry.close())
  return registry
}

/** A client on real sockets to `url`; its waits are recorded and, with `realSleep`, slept. */
function realClient(
  url: string | URL,
  token: string | undefined,
  retry: Partial<RetryPolicy> = {},
  realSleep = false
): { client: RegistryClient; sleeps: number[] } {
  const sleeps: number[] = []
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms)
    if (realSleep) await new Promise((resolve) => setTimeout(resolve, ms))
  }
  const client = new RegistryClient(new URL(url), token, { ...DEFAULT_RETRY, ...retry }, sleep)
  clients.push(client)
  return { client, sleeps }
}

/** A loopback server, closed (connections included) after the test. */
async function listen<T extends http.Server | net.Server>(server: T): Promise<{ port: number }> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // A TLS server hands its raw TCP sockets to 'connection' too (https: 'secureConnection' later).
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  let closed: Promise<void> | undefined
  closers.push(() => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
    })
    return closed
  })
  return { port: (server.address() as AddressInfo).port }
}

/** Runs `fn` with these environment variables set (undefined: removed), then restores them. */
async function withEnv<T>(
  vars: Record<string, string | undefined>,
  fn: () => Promise<T>
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  apply(vars)
  try {
    return await fn()
  } finally {
    apply(saved)
  }
}

const NO_PROXY_ENV = {
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined
}

// --- retries --------------------------------------------------------------------------------

describe('RegistryClient: retries', () => {
  it('retries 503 twice with growing backoff, then returns the answer', async () => {
    answer('/absent', 503, { error: 'busy' }, { times: 2 })
    answer('/absent', 404, { error: 'Not found' })
    const { client, sleeps } = mockClient(undefined)
    expect(await client.packument('absent')).toBeUndefined()
    expect(seen.map((r) => r.path)).toEqual(['/absent', '/absent', '/absent'])
    mock.assertNoPendingInterceptors()
    // 300 ms doubling, with jitter between half and all of it.
    expect(sleeps).toHaveLength(2)
    expect(sleeps[0]).toBeGreaterThanOrEqual(150)
    expect(sleeps[0]).toBeLessThanOrEqual(300)
    expect(sleeps[1]).toBeGreaterThanOrEqual(300)
    expect(sleeps[1]).toBeLessThanOrEqual(600)
  })

  it('waits for real between attempts: three 503s, gaps growing within the jitter bounds', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', { kind: 'status', status: 503 }, 3)
    const { client } = realClient(registry.url, undefined, {}, true)
    expect(await client.packument('absent')).toBeUndefined()
    const at = registry.requestsTo('packument').map((r) => r.at)
    const gaps = at.slice(1).map((t, i) => Math.round(t - at[i]))
    console.log(`503 ×3 then 404, default policy: gaps between attempts ${gaps.join(', ')} ms`)
    expect(registry.requestsTo('packument').map((r) => r.outcome)).toEqual([503, 503, 503, 404])
    // Jittered 150–300, 300–600, 600–1200 ms, plus the round trip.
    expect(gaps[0]).toBeGreaterThanOrEqual(145)
    expect(gaps[1]).toBeGreaterThanOrEqual(295)
    expect(gaps[2]).toBeGreaterThanOrEqual(595)
    expect(gaps[2]).toBeLessThan(2000)
  })

  it('honours Retry-After (seconds) on a 429', async () => {
    answer('/absent', 429, { error: 'Too Many Requests' }, { headers: { 'retry-after': '2' } })
    answer('/absent', 404)
    const { client, sleeps } = mockClient(undefined)
    expect(await client.packument('absent')).toBeUndefined()
    expect(sleeps).toEqual([2000])
  })

  it('honours Retry-After (HTTP date) on a 503', async () => {
    const when = new Date(Date.now() + 3000).toUTCString()
    answer('/absent', 503, undefined, { headers: { 'retry-after': when } })
    answer('/absent', 404)
    const { client, sleeps } = mockClient(undefined)
    expect(await client.packument('absent')).toBeUndefined()
    expect(sleeps).toHaveLength(1)
    // An HTTP date has whole seconds: up to 1 s less than 3 s.
    expect(sleeps[0]).toBeGreaterThan(1000)
    expect(sleeps[0]).toBeLessThanOrEqual(3000)
  })

  it('fails at once when Retry-After is beyond the retry budget', async () => {
    answer('/absent', 429, { error: 'slow down' }, { headers: { 'retry-after': '3600' } })
    const { client, sleeps } = mockClient(undefined)
    await expect(client.packument('absent')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(
        /HTTP 429 \(slow down\); Retry-After asks for 3600 s, more than the retry budget left/
      )
    })
    expect(sleeps).toEqual([])
    expect(seen).toHaveLength(1)
  })

  it('gives up after `attempts` answers of 503, naming the last one', async () => {
    answer('/absent', 503, { error: 'Service Unavailable' }, { times: 'always' })
    const { client, sleeps } = mockClient(undefined)
    await expect(client.packument('absent')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `GET ${ORIGIN}/absent failed: HTTP 503 (Service Unavailable)`
    })
    expect(seen).toHaveLength(DEFAULT_RETRY.attempts)
    expect(sleeps).toHaveLength(DEFAULT_RETRY.attempts - 1)
  })

  it('retries a reset connection and malformed JSON', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', { kind: 'reset' })
    registry.failGet('packument', { kind: 'malformed' })
    const { client } = realClient(registry.url, undefined)
    expect(await client.packument('absent')).toBeUndefined()
    expect(registry.requestsTo('packument').map((r) => r.outcome)).toEqual(['reset', 200, 404])
  })

  it('names malformed JSON when it persists', async () => {
    answer('/absent', 200, '{"name": "truncated", "versions": {', { times: 'always' })
    const { client } = mockClient(undefined)
    await expect(client.packument('absent')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `GET ${ORIGIN}/absent failed: malformed JSON`
    })
    expect(seen).toHaveLength(DEFAULT_RETRY.attempts)
  })

  it.each([401, 404])('does not retry %i', async (status) => {
    const token = fakeToken()
    answer('/-/whoami', status, { error: 'nope' }, { times: 'always' })
    const { client, sleeps } = mockClient(token)
    expect((await client.whoami()).status).toBe(status)
    expect(seen).toHaveLength(1)
    expect(seen[0].headers['authorization']).toBe(`Bearer ${token}`)
    expect(sleeps).toEqual([])
  })

  it('bounds a stalled GET by the per-attempt timeout and the budget', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', { kind: 'stall' }, Infinity)
    const { client } = realClient(
      registry.url,
      undefined,
      { timeoutMs: 300, budgetMs: 1000, baseDelayMs: 50 },
      true
    )
    const started = performance.now()
    await expect(client.packument('absent')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(/ETIMEDOUT: timeout, no answer within \d+ ms/)
    })
    const elapsed = performance.now() - started
    console.log(
      `stalled GET, 300 ms per attempt, 1000 ms budget: failed after ${Math.round(elapsed)} ms, ${registry.requestsTo('packument').length} attempts`
    )
    expect(elapsed).toBeGreaterThanOrEqual(600)
    expect(elapsed).toBeLessThan(2000)
    expect(registry.requestsTo('packument').length).toBeGreaterThanOrEqual(2)
    expect(registry.requestsTo('packument').length).toBeLessThanOrEqual(DEFAULT_RETRY.attempts)
  })

  it.each([401, 403])(
    'reads a packument anonymously when the token is refused on reads (%i)',
    async (status) => {
      const token = fakeToken()
      answer('/public-pkg', status, { error: 'IP blocked' })
      answer('/public-pkg', 200, {
        name: 'public-pkg',
        'dist-tags': { latest: '1.0.0' },
        versions: { '1.0.0': { dist: { integrity: 'sha512-abc' } } }
      })
      const { client } = mockClient(token)
      const packument = await client.packument('public-pkg')
      expect(packument?.versions?.['1.0.0']?.dist?.integrity).toBe('sha512-abc')
      const [withToken, anonymous] = seen
      expect(withToken.headers['authorization']).toBe(`Bearer ${token}`)
      expect(anonymous.headers['authorization']).toBeUndefined()
    }
  )

  it('escapes a scoped name in the packument URL', async () => {
    answer((p) => p.startsWith('/@acme'), 200, { 'dist-tags': { latest: '2.0.0' } })
    const { client } = mockClient(undefined)
    expect((await client.packument('@acme/pkg'))?.['dist-tags']).toEqual({ latest: '2.0.0' })
    expect(seen[0].path).toBe('/@acme%2fpkg')
    expect(seen[0].headers['accept']).toMatch(/^application\/vnd\.npm\.install-v1\+json/)
  })
})

// --- close ----------------------------------------------------------------------------------

/** A registry that takes requests and answers none until closed; counts what arrived. */
async function holdingServer(): Promise<{ url: URL; arrived: string[] }> {
  const arrived: string[] = []
  const server = http.createServer((request) => arrived.push(request.url ?? ''))
  const { port } = await listen(server)
  return { url: new URL(`http://127.0.0.1:${port}/`), arrived }
}

async function until(test: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!test()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('RegistryClient.close', () => {
  it('ends the requests in flight and retries nothing afterwards', async () => {
    const server = await holdingServer()
    const client = new RegistryClient(server.url, 'token', { ...DEFAULT_RETRY, baseDelayMs: 10 })
    clients.push(client)
    const whoami = client.whoami()
    const list = client.tokenList()
    await until(() => server.arrived.length === 2)
    const started = performance.now()
    await client.close()
    await expect(whoami).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE' })
    expect(await list).toMatchObject({ kind: 'unavailable' })
    expect(performance.now() - started).toBeLessThan(1000)
    // No retry after the close: the registry saw each request once, and sees nothing new.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(server.arrived.sort()).toEqual([FIRST_PAGE, '/-/whoami'])
    await expect(client.packument('x')).rejects.toThrow(/closed/)
    expect(server.arrived).toHaveLength(2)
  })

  it('leaves no listener behind on its close signal after a wait (no pile-up over a run)', async () => {
    answer('/absent', 503, { error: 'busy' }, { times: 'always' })
    const { client, sleeps } = mockClient(undefined)
    for (let i = 0; i < 4; i++) await expect(client.packument('absent')).rejects.toThrow(/503/)
    expect(sleeps).toHaveLength(4 * (DEFAULT_RETRY.attempts - 1))
    const { signal } = (client as unknown as { closing: AbortController }).closing
    expect(getEventListeners(signal, 'abort')).toHaveLength(0)
  })

  it('ends a Retry-After wait at once: nothing is sent after the close', async () => {
    answer(
      '/-/whoami',
      503,
      { error: 'busy' },
      { headers: { 'retry-after': '5' }, times: 'always' }
    )
    // The real sleep (4th argument left to its default).
    const client = new RegistryClient(REGISTRY, 'token', DEFAULT_RETRY, undefined, mock)
    clients.push(client)
    const whoami = client.whoami()
    await until(() => seen.length === 1)
    await new Promise((resolve) => setTimeout(resolve, 50)) // inside the 5 s wait now
    const started = performance.now()
    await client.close()
    await expect(whoami).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringContaining('HTTP 503 (busy)')
    })
    const ms = performance.now() - started
    console.log(
      `close() during a 5 s Retry-After wait: the request settled ${ms.toFixed(0)} ms later`
    )
    expect(ms).toBeLessThan(500)
    expect(seen).toHaveLength(1)
  })
})

// --- the token list -------------------------------------------------------------------------

function page(objects: unknown[], next?: string): Record<string, unknown> {
  return { objects, total: objects.length, urls: { next: next ?? '', prev: '' } }
}

describe('RegistryClient.tokenList: paging', () => {
  it('follows a relative urls.next to the last page, with the token on each', async () => {
    const token = fakeToken()
    const own = tokenEntry(token)
    answer(FIRST_PAGE, 200, page(otherEntries(2), '/-/npm/v1/tokens?page=1&perPage=2'))
    answer(
      '/-/npm/v1/tokens?page=1&perPage=2',
      200,
      page(otherEntries(2), '-/npm/v1/tokens?page=2')
    )
    answer('/-/npm/v1/tokens?page=2', 200, page([own]))
    const { client } = mockClient(token)
    const list = await client.tokenList()
    expect(list).toMatchObject({ kind: 'entries', pages: 3, complete: true })
    expect(list.kind === 'entries' && list.entries).toHaveLength(5)
    expect(seen.every((r) => r.headers['authorization'] === `Bearer ${token}`)).toBe(true)
    mock.assertNoPendingInterceptors()
  })

  it('follows an absolute same-origin urls.next', async () => {
    answer(FIRST_PAGE, 200, page(otherEntries(1), `${ORIGIN}/-/npm/v1/tokens?page=1`))
    answer('/-/npm/v1/tokens?page=1', 200, page(otherEntries(1)))
    const { client } = mockClient(fakeToken())
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 2, complete: true })
  })

  it('stops at the page cap', async () => {
    answer(FIRST_PAGE, 200, page(otherEntries(1), '/-/npm/v1/tokens?page=1'))
    for (let i = 1; i < 10; i++) {
      const next = `/-/npm/v1/tokens?page=${i + 1}`
      answer(`/-/npm/v1/tokens?page=${i}`, 200, page(otherEntries(1), next))
    }
    const { client } = mockClient(fakeToken())
    const list = await client.tokenList(3)
    expect(list).toMatchObject({ kind: 'entries', pages: 3, complete: false })
    expect(list.kind === 'entries' && list.entries).toHaveLength(3)
    expect(seen).toHaveLength(3)
  })

  it('stops on a repeated urls.next', async () => {
    answer(FIRST_PAGE, 200, page(otherEntries(1), '/-/npm/v1/tokens?page=1&perPage=1'))
    answer(
      '/-/npm/v1/tokens?page=1&perPage=1',
      200,
      page(otherEntries(1), '/-/npm/v1/tokens?page=1&perPage=1'),
      { times: 'always' }
    )
    const { client } = mockClient(fakeToken())
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 2, complete: true })
    expect(seen.map((r) => r.path)).toEqual([FIRST_PAGE, '/-/npm/v1/tokens?page=1&perPage=1'])
  })

  it('refuses a cross-origin urls.next: the other host never sees the token', async () => {
    const elsewhere = 'https://elsewhere.example.test'
    answer(FIRST_PAGE, 200, page(otherEntries(1), `${elsewhere}/-/npm/v1/tokens?page=1`))
    answer(() => true, 200, page([]), { origin: elsewhere, times: 'always' })
    const { client } = mockClient(fakeToken())
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 1 })
    expect(seen.filter((r) => r.origin === elsewhere)).toEqual([])
  })

  // A shared server (Nexus, Artifactory) hosts several repositories under one origin: the token of
  // this one must not reach another's path, even once a server or proxy decodes the link.
  const SHARED = new URL(`${ORIGIN}/repository/npm-hosted/`)
  it.each([
    ['a relative link out of the path', '../../other-repo/-/npm/v1/tokens'],
    ['an absolute link to another path', `${ORIGIN}/other-repo/-/npm/v1/tokens`],
    ['another origin written with backslashes', '\\\\elsewhere.example.test\\-\\npm'],
    ['encoded slashes: ..%2f..%2fother-repo', '..%2f..%2fother-repo/-/npm/v1/tokens'],
    [
      'encoded slashes in an absolute link: ..%2F..%2F',
      `${ORIGIN}/repository/npm-hosted/..%2F..%2Fother-repo/-/npm/v1/tokens`
    ],
    ['encoded dots: %2e%2e/', '%2e%2e/%2e%2e/other-repo/-/npm/v1/tokens'],
    ['mixed dots: .%2e/', '.%2e/.%2e/other-repo/-/npm/v1/tokens'],
    ['encoded dots below the path: -/%2e%2e%2f', '-/%2e%2e%2f%2e%2e%2f%2e%2e%2fother-repo'],
    ['an encoded backslash: ..%5c..%5c', '..%5c..%5cother-repo/-/npm/v1/tokens'],
    ['literal backslashes: ..\\..\\', '..\\..\\other-repo\\-\\npm\\v1\\tokens'],
    ['a literal .. (decoded)', '-/npm/../../../other-repo/-/npm/v1/tokens'],
    ['a doubly encoded ..%252f', '-/npm/v1/tokens/%252e%252e%252f%252e%252e%252fother-repo'],
    [
      'a Tomcat path parameter: ..;/ (Artifactory reads it as ../)',
      '..;/..;/other-repo/-/npm/v1/tokens'
    ],
    [
      'a Tomcat path parameter in an absolute link',
      `${ORIGIN}/repository/npm-hosted/..;/other-repo/-/npm/v1/tokens`
    ],
    ['a malformed link', 'http://[bad']
  ])('keeps the token under the registry path: does not follow %s', async (_what, link) => {
    answer('/repository/npm-hosted/-/npm/v1/tokens?perPage=100', 200, page([], link))
    answer(() => true, 200, page([]), { times: 'always' })
    answer(() => true, 200, page([]), { origin: 'https://elsewhere.example.test', times: 'always' })
    const { client } = mockClient(fakeToken(), {}, SHARED)
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 1 })
    expect(seen.map((r) => `${r.origin}${r.path}`)).toEqual([
      `${ORIGIN}/repository/npm-hosted/-/npm/v1/tokens?perPage=100`
    ])
  })

  it('follows a link under the registry path (the same rules let the real one through)', async () => {
    answer(
      '/repository/npm-hosted/-/npm/v1/tokens?perPage=100',
      200,
      page(otherEntries(1), '/-/npm/v1/tokens?page=1')
    )
    answer('/repository/npm-hosted/-/npm/v1/tokens?page=1', 200, page(otherEntries(1)))
    const { client } = mockClient(fakeToken(), {}, SHARED)
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 2, complete: true })
  })

  it('stops on an empty urls.next (Verdaccio) and tolerates a missing urls', async () => {
    answer(FIRST_PAGE, 200, page(otherEntries(1), ''))
    answer(FIRST_PAGE, 200, { objects: otherEntries(2) })
    const { client } = mockClient(fakeToken())
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 1, complete: true })
    const second = await client.tokenList()
    expect(second).toMatchObject({ kind: 'entries', pages: 1, complete: true })
    expect(second.kind === 'entries' && second.entries).toHaveLength(2)
    expect(seen).toHaveLength(2)
  })

  it.each([
    [401, 'Unauthorized'],
    [403, 'This endpoint requires a session token (npmSessionToken)']
  ])('reports "unavailable" on %i', async (status, error) => {
    answer(FIRST_PAGE, status, { error })
    const { client } = mockClient(fakeToken())
    expect(await client.tokenList()).toMatchObject({
      kind: 'unavailable',
      status,
      reason: `HTTP ${status} (${error})`
    })
    expect(seen).toHaveLength(1)
  })

  it('reports "unavailable" (does not throw) when the list keeps failing', async () => {
    answer(FIRST_PAGE, 502, { error: 'Bad Gateway' }, { times: 'always' })
    const { client } = mockClient(fakeToken())
    expect(await client.tokenList()).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringContaining('HTTP 502 (Bad Gateway)')
    })
    expect(seen).toHaveLength(DEFAULT_RETRY.attempts)
  })

  it('reports "unavailable" for a body without objects', async () => {
    answer(FIRST_PAGE, 200, { tokens: [] })
    const { client } = mockClient(fakeToken())
    expect(await client.tokenList()).toMatchObject({
      kind: 'unavailable',
      status: 200,
      reason: 'the token list has no "objects" array'
    })
  })
})

// --- body caps --------------------------------------------------------------------------------

/**
 * A server that answers every request 200 with `length` bytes (content-length set) or, without
 * it, a chunked body that never ends; it writes only as fast as the client reads.
 */
async function streamingServer(length?: number): Promise<{
  url: string
  requests: () => number
  written: () => number
}> {
  let requests = 0
  let written = 0
  const chunk = Buffer.alloc(64 * 1024, 'a')
  const server = http.createServer((_req, res) => {
    requests++
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(length === undefined ? {} : { 'content-length': String(length) })
    })
    const pump = (): void => {
      while (!res.destroyed && (length === undefined || written < length)) {
        const piece = length === undefined ? chunk : chunk.subarray(0, length - written)
        written += piece.length
        if (!res.write(piece)) {
          res.once('drain', pump)
          return
        }
      }
      if (!res.destroyed) res.end()
    }
    pump()
  })
  const { port } = await listen(server)
  return { url: `http://127.0.0.1:${port}/`, requests: () => requests, written: () => written }
}

/** Runs `fn`, sampling this process's RSS every 5 ms: its peak growth over the start, in MiB. */
async function peakRssGrowth(fn: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage.rss()
  let peak = before
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5)
  try {
    await fn()
  } finally {
    clearInterval(timer)
  }
  peak = Math.max(peak, process.memoryUsage.rss())
  return (peak - before) / 1024 / 1024
}

const MiB = 1024 * 1024

describe('RegistryClient: body caps', () => {
  it('cuts an endless whoami body at 4 MiB, with a clear REGISTRY_UNREACHABLE, and does not retry it', async () => {
    const server = await streamingServer()
    const { client } = realClient(server.url, fakeToken())
    let error: unknown
    const started = performance.now()
    const growth = await peakRssGrowth(() => client.whoami().catch((e: unknown) => (error = e)))
    const ms = performance.now() - started
    console.log(
      `endless whoami body: cut after ${(server.written() / MiB).toFixed(1)} MiB sent, ${ms.toFixed(0)} ms, RSS peak +${growth.toFixed(1)} MiB`
    )
    expect(error).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `GET ${server.url}-/whoami: the answer is larger than 4 MiB, the most the action reads; it stopped reading there`
    })
    expect(server.requests()).toBe(1)
    expect(growth).toBeLessThan(100)
  })

  it('refuses a 100 MB packument by its content-length before reading it', async () => {
    const server = await streamingServer(100 * MiB)
    const { client } = realClient(server.url, undefined)
    let error: unknown
    const growth = await peakRssGrowth(() =>
      client.packument('huge').catch((e: unknown) => (error = e))
    )
    console.log(
      `100 MB packument (content-length): refused after ${(server.written() / MiB).toFixed(1)} MiB sent, RSS peak +${growth.toFixed(1)} MiB`
    )
    expect(error).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(
        /^GET http:\/\/127\.0\.0\.1:\d+\/huge: the answer is larger than 64 MiB/
      )
    })
    expect(server.requests()).toBe(1)
    // Only what the socket buffers took before the refusal: far from the 64 MiB cap.
    expect(server.written()).toBeLessThan(32 * MiB)
    expect(growth).toBeLessThan(100)
  })

  it('cuts an endless packument at 64 MiB, memory bounded (RSS growth well under 200 MB)', async () => {
    const server = await streamingServer()
    // A long attempt timeout: the cap, not the clock, must end the read on a slow machine.
    const { client } = realClient(server.url, undefined, { timeoutMs: 60_000, budgetMs: 120_000 })
    let error: unknown
    const started = performance.now()
    const growth = await peakRssGrowth(() =>
      client.packument('endless').catch((e: unknown) => (error = e))
    )
    const ms = performance.now() - started
    console.log(
      `endless packument body: cut after ${(server.written() / MiB).toFixed(1)} MiB sent, ${ms.toFixed(0)} ms, RSS peak +${growth.toFixed(1)} MiB`
    )
    expect(error).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringContaining('the answer is larger than 64 MiB')
    })
    expect(server.requests()).toBe(1)
    expect(server.written()).toBeGreaterThanOrEqual(BODY_LIMITS.packument)
    expect(server.written()).toBeLessThan(BODY_LIMITS.packument + 32 * MiB)
    expect(growth).toBeLessThan(150)
  })
})

// --- 431, redirects, the dist-tag PUT, what gets quoted ---------------------------------------

describe('RegistryClient: answers that are not what they seem', () => {
  it('takes a 431 to the token as TOKEN_MALFORMED with a clear message, not REGISTRY_UNREACHABLE', async () => {
    // Node's own server answers 431 when the headers pass its limit: the token is far too long.
    const server = http.createServer({ maxHeaderSize: 4096 }, (_req, res) => res.end('{}'))
    const { port } = await listen(server)
    const { client, sleeps } = realClient(`http://127.0.0.1:${port}/`, `npm_${'a'.repeat(8000)}`)
    await expect(client.whoami()).rejects.toMatchObject({
      code: 'TOKEN_MALFORMED',
      message: `127.0.0.1:${port} refused the request headers as too large (HTTP 431): the token is far longer than a registry token`
    })
    expect(sleeps).toEqual([])
  })

  it('reads a 431 to an anonymous request as the status it is (no token to blame)', async () => {
    answer('/pkg', 431, { error: 'Request Header Fields Too Large' })
    const { client } = mockClient(undefined)
    await expect(client.packument('pkg')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `Reading pkg from registry.example.test failed: HTTP 431 (Request Header Fields Too Large)`
    })
    expect(seen).toHaveLength(1)
  })

  it('follows no redirect: a 302 to another port of 127.0.0.1 never brings the token there', async () => {
    const token = fakeToken()
    const other: http.IncomingMessage[] = []
    const target = http.createServer((req, res) => {
      other.push(req)
      res.end('{"username":"thief"}')
    })
    const { port: otherPort } = await listen(target)
    const redirecting = http.createServer((req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${otherPort}${req.url ?? '/'}` })
      res.end()
    })
    const { port } = await listen(redirecting)
    const { client } = realClient(`http://127.0.0.1:${port}/`, token)
    const whoami = await client.whoami()
    expect(whoami.status).toBe(302)
    await expect(client.packument('pkg')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `Reading pkg from 127.0.0.1:${port} failed: HTTP 302 (a redirect to http://127.0.0.1:${otherPort}/pkg, not followed: set \`registry\` to the URL that answers)`
    })
    expect(await client.tokenList()).toMatchObject({ kind: 'unavailable', status: 302 })
    expect(other).toEqual([])
  })

  it('setDistTag sends PUT /-/package/<escaped>/dist-tags/<tag>: a JSON string, the bearer token; retried on 503', async () => {
    const token = fakeToken()
    const route = '/-/package/@acme%2fpkg/dist-tags/next'
    answer(route, 503, { error: 'busy' }, { method: 'PUT' })
    answer(route, 200, { ok: true }, { method: 'PUT' })
    const { client, sleeps } = mockClient(token)
    const result = await client.setDistTag('@acme/pkg', 'next', '1.2.3')
    expect(result.status).toBe(200)
    expect(seen).toHaveLength(2)
    for (const put of seen) {
      expect(put).toMatchObject({ method: 'PUT', path: route, body: '"1.2.3"' })
      expect(put.headers['authorization']).toBe(`Bearer ${token}`)
      expect(put.headers['content-type']).toBe('application/json')
    }
    expect(sleeps).toHaveLength(1)
    mock.assertNoPendingInterceptors()
  })

  it('setDistTag against the fake registry: a scripted 503 is retried, then the tag moves', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.seedVersion('@acme/pkg', '1.0.0', { integrity: 'sha512-one' })
    registry.seedVersion('@acme/pkg', '2.0.0-rc.1', { integrity: 'sha512-two' })
    registry.scriptDistTag({ status: 503, body: { error: 'Service Unavailable' } })
    const { client, sleeps } = realClient(registry.url, token)
    expect((await client.setDistTag('@acme/pkg', 'next', '2.0.0-rc.1')).status).toBe(201)
    expect(registry.distTagPuts.map((p) => [p.outcome, p.tag, p.version, p.applied])).toEqual([
      [503, 'next', '2.0.0-rc.1', false],
      [201, 'next', '2.0.0-rc.1', true]
    ])
    expect(
      registry.distTagPuts.every(
        (p) => p.tokenSent && p.url === '/-/package/@acme%2fpkg/dist-tags/next'
      )
    ).toBe(true)
    expect(sleeps).toHaveLength(1)
    expect((await client.packument('@acme/pkg'))?.['dist-tags']).toEqual({
      latest: '2.0.0-rc.1',
      next: '2.0.0-rc.1'
    })
  })

  it('setDistTag returns a refusal to the caller unretried', async () => {
    answer(
      '/-/package/pkg/dist-tags/latest',
      403,
      { error: 'Forbidden' },
      { method: 'PUT', times: 'always' }
    )
    const { client } = mockClient(fakeToken())
    const result = await client.setDistTag('pkg', 'latest', '1.0.0')
    expect(describeStatus(result)).toBe('HTTP 403 (Forbidden)')
    expect(seen).toHaveLength(1)
  })

  it('quotes a registry text that echoes the token without it or any 8+ character piece of it', async () => {
    const token = fakeToken()
    captureStdout() // maskSecret's ::add-mask:: lines
    maskSecret(token) // as getOptions does first
    answer(
      '/-/whoami',
      401,
      {
        error: `Token ${token} is not valid (starts ${token.slice(0, 12)}, ends ${token.slice(-9)})`
      },
      { times: 1 }
    )
    answer(
      '/absent',
      503,
      { error: `busy; your token was ${token.slice(3, 20)}` },
      { times: 'always' }
    )
    const { client } = mockClient(token)
    const said = describeStatus(await client.whoami())
    const failed = await client.packument('absent').then(
      () => '',
      (error: Error) => error.message
    )
    expect(said).toMatch(/^HTTP 401 \(Token \*\*\* is not valid/)
    expect(failed).toContain('HTTP 503 (busy; your token was ***)')
    for (const text of [said, failed]) {
      for (let i = 0; i + 8 <= token.length; i++) expect(text).not.toContain(token.slice(i, i + 8))
    }
  })
})

// --- egress, proxies, TLS ---------------------------------------------------------------------

describe('RegistryClient.egressAddress', () => {
  it('uses the local socket address for a loopback registry', async () => {
    await withEnv(NO_PROXY_ENV, async () => {
      const registry = await startRegistry()
      const { client } = realClient(registry.url, undefined)
      await client.packument('absent')
      expect(await client.egressAddress()).toEqual({
        address: '127.0.0.1',
        source: 'local socket address'
      })
      // Known from the socket: no request to the edge's /cdn-cgi/trace.
      expect(registry.requests.map((r) => r.url)).toEqual(['/absent'])
    })
  })
})

/** A forward proxy: CONNECT tunnels and absolute-URI requests, each recorded. */
async function startProxy(): Promise<{ url: string; seen: string[] }> {
  const proxied: string[] = []
  const proxy = http.createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`)
    const upstream = http.request(
      req.url ?? '',
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  proxy.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    proxied.push(`CONNECT ${req.url}`)
    const [host, port] = (req.url ?? '').split(':')
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
  })
  const { port } = await listen(proxy)
  return { url: `http://127.0.0.1:${port}`, seen: proxied }
}

describe('RegistryClient behind a proxy', () => {
  it('sends its requests through HTTP_PROXY and does not trust the socket for the egress address', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    const proxy = await startProxy()
    await withEnv({ ...NO_PROXY_ENV, HTTP_PROXY: proxy.url }, async () => {
      const client = new RegistryClient(new URL(registry.url), token, DEFAULT_RETRY)
      clients.push(client)
      expect((await client.whoami()).status).toBe(200)
      expect(registry.requestsTo('whoami')[0].tokenSent).toBe(true)
      // undici tunnels (CONNECT) even to an http registry.
      expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${registry.port}`])
      const egress = await client.egressAddress()
      expect(egress.source).not.toBe('local socket address')
      expect(egress.address).toBeUndefined()
    })
  })

  it('bypasses the proxy for a registry in NO_PROXY', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    const proxy = await startProxy()
    await withEnv(
      { ...NO_PROXY_ENV, HTTP_PROXY: proxy.url, NO_PROXY: 'example.org, 127.0.0.1' },
      async () => {
        const client = new RegistryClient(new URL(registry.url), token, DEFAULT_RETRY)
        clients.push(client)
        expect((await client.whoami()).status).toBe(200)
        expect(await client.packument('absent')).toBeUndefined()
        expect(registry.requests.map((r) => r.url)).toEqual(['/-/whoami', '/absent'])
        expect(proxy.seen).toEqual([])
      }
    )
  })
})

// At module load: no server of this file is running yet, so the blocking openssl stalls none.
const TLS = selfSignedCert()
const describeWithOpenssl = TLS ? describe : describe.skip
if (!TLS) console.log('openssl not found: the self-signed TLS cases are skipped')

/** An https registry on 127.0.0.1 with a self-signed certificate (the name matches: only trust fails). */
async function selfSignedRegistry(): Promise<{
  url: string
  paths: string[]
  refused: () => number
}> {
  const paths: string[] = []
  let refused = 0
  const server = https.createServer({ ...TLS }, (req, res) => {
    paths.push(req.url ?? '')
    res.end('{"username":"mitm"}')
  })
  server.on('tlsClientError', () => refused++)
  const { port } = await listen(server)
  return { url: `https://127.0.0.1:${port}/`, paths, refused: () => refused }
}

/**
 * Jest gives a test file a copy of process.env that Node's TLS never reads, so
 * NODE_TLS_REJECT_UNAUTHORIZED=0 is tried in a process of its own: src/registry.ts run by Node
 * itself (types stripped, `.js` imports mapped to the `.ts` files). First a plain https.get with
 * Node's defaults (the control: the variable does switch verification off there), then
 * RegistryClient.whoami with a token. Prints both outcomes as JSON.
 */
const TLS_CHILD = `
const https = await import('node:https')
const { RegistryClient } = await import(process.argv[2])
const url = process.argv[3]
const control = await new Promise((resolve) =>
  https.get(url + 'control', (res) => { res.resume(); resolve(res.statusCode) })
    .on('error', (error) => resolve(error.code)))
const client = new RegistryClient(new URL(url), 'npm_' + 'k'.repeat(36))
const whoami = await client.whoami().then(
  (result) => ({ status: result.status }),
  (error) => ({ code: error.code, message: error.message, hint: error.hint }))
await client.close()
console.log(JSON.stringify({ control, whoami }))
`
const TLS_HOOKS = `
import { registerHooks } from 'node:module'
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context)
    } catch (error) {
      if (/^[.][.]?\\/.*[.]js$/.test(specifier)) return next(specifier.replace(/[.]js$/, '.ts'), context)
      throw error
    }
  }
})
`

async function whoamiInChild(
  url: string,
  env: Record<string, string>
): Promise<{
  control: number | string
  whoami: { status?: number; code?: string; message?: string; hint?: string }
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-registry-tls-child-'))
  closers.push(() => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })))
  fs.writeFileSync(path.join(dir, 'child.mjs'), TLS_CHILD)
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), TLS_HOOKS)
  const childEnv: Record<string, string | undefined> = { ...process.env, ...NO_PROXY_ENV, ...env }
  delete childEnv['NODE_OPTIONS'] // jest's --experimental-vm-modules
  const args = [
    '--experimental-transform-types',
    '--no-warnings',
    '--import',
    pathToFileURL(path.join(dir, 'hooks.mjs')).href,
    path.join(dir, 'child.mjs'),
    pathToFileURL(path.resolve('src', 'registry.ts')).href,
    url
  ]
  // Asynchronous: this process hosts the servers the child talks to.
  const { stdout } = await execFileAsync(process.execPath, args, {
    env: childEnv,
    timeout: 30_000
  })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Awaited<
    ReturnType<typeof whoamiInChild>
  >
}

describeWithOpenssl('RegistryClient: TLS is always verified', () => {
  it('refuses a self-signed registry even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const registry = await selfSignedRegistry()
    const { control, whoami } = await whoamiInChild(registry.url, {
      NODE_TLS_REJECT_UNAUTHORIZED: '0'
    })
    expect(control).toBe(200) // the variable is in force in that process
    expect(whoami).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(/DEPTH_ZERO_SELF_SIGNED_CERT: .*self[- ]signed certificate/),
      hint: expect.stringContaining('NODE_EXTRA_CA_CERTS')
    })
    expect(registry.paths).toEqual(['/control']) // the token never went out
    expect(registry.refused()).toBe(1) // one handshake refused, not retried
  })

  it('refuses it through an HTTPS_PROXY tunnel too', async () => {
    const registry = await selfSignedRegistry()
    const proxy = await startProxy()
    const { control, whoami } = await whoamiInChild(registry.url, {
      NODE_TLS_REJECT_UNAUTHORIZED: '0',
      HTTPS_PROXY: proxy.url
    })
    expect(control).toBe(200)
    expect(whoami).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(/self[- ]signed certificate/)
    })
    // Not retried: the same certificate would come back.
    expect(proxy.seen).toEqual([`CONNECT ${new URL(registry.url).host}`])
    expect(registry.paths).toEqual(['/control'])
  })
})

// --- pure helpers -----------------------------------------------------------------------------

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-23T12:00:00Z')

  it('reads delay-seconds', () => {
    expect(retryAfterMs('1', now)).toBe(1000)
    expect(retryAfterMs(' 120 ', now)).toBe(120_000)
    expect(retryAfterMs('0', now)).toBe(0)
  })

  it('reads an HTTP date in its three forms, never negative', () => {
    expect(retryAfterMs('Mon, 23 Nov 2026 12:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Monday, 23-Nov-26 12:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Mon, 23 Nov 2026 11:59:00 GMT', now)).toBe(0)
  })

  it('ignores a missing or unreadable value (the backoff applies), even one Date.parse would take', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined()
    expect(retryAfterMs('', now)).toBeUndefined()
    expect(retryAfterMs('soon', now)).toBeUndefined()
    // Date.parse reads these as dates in 2001: an immediate retry.
    expect(retryAfterMs('1.5', now)).toBeUndefined()
    expect(retryAfterMs('-1', now)).toBeUndefined()
  })
})

describe('retryPolicy', () => {
  it('is the default without the override', () => {
    expect(retryPolicy({})).toEqual(DEFAULT_RETRY)
    expect(retryPolicy({ NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: 'abc' })).toEqual(DEFAULT_RETRY)
    expect(retryPolicy({ NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '0' })).toEqual(DEFAULT_RETRY)
    expect(retryPolicy({ NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '-5' })).toEqual(DEFAULT_RETRY)
  })

  it('takes NPM_AUTOMATION_PUBLISH_TIMEOUT_MS, with a budget of twice that', () => {
    expect(retryPolicy({ NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '1500' })).toEqual({
      ...DEFAULT_RETRY,
      timeoutMs: 1500,
      budgetMs: 3000
    })
  })
})

describe('describeStatus', () => {
  it('quotes error, then message, then text', () => {
    expect(describeStatus({ status: 403, headers: {}, body: { error: 'nope' } })).toBe(
      'HTTP 403 (nope)'
    )
    expect(describeStatus({ status: 400, headers: {}, body: { message: 'bad page' } })).toBe(
      'HTTP 400 (bad page)'
    )
    expect(describeStatus({ status: 502, headers: {}, body: '<html>Bad gateway</html>' })).toBe(
      'HTTP 502 (<html>Bad gateway</html>)'
    )
    expect(describeStatus({ status: 500, headers: {}, body: undefined })).toBe('HTTP 500')
  })

  it('keeps a long or multi-line text to one line of at most 200 characters', () => {
    const said = describeStatus({
      status: 500,
      headers: {},
      body: `line one\nline two ${'x'.repeat(500)}`
    })
    expect(said).not.toContain('\n')
    expect(said.length).toBeLessThanOrEqual('HTTP 500 ()'.length + 200)
    expect(said).toMatch(/^HTTP 500 \(line one line two x+…\)$/)
  })
})
