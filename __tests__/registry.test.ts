/**
 * RegistryClient against the scripted fake registry: retries, Retry-After, timeouts, the token
 * list's paging (cap, repeated URL, cross-origin `urls.next`), and the pure helpers.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  DEFAULT_RETRY,
  RegistryClient,
  describeStatus,
  retryAfterMs,
  retryPolicy,
  type RetryPolicy
} from '../src/registry.js'
import { FakeRegistry, fakeToken, otherEntries, tokenEntry } from './helpers/fake-registry.js'

let servers: FakeRegistry[] = []
let clients: RegistryClient[] = []
let holding: { close: () => Promise<void> }[] = []

afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()))
  await Promise.all(servers.map((server) => server.close()))
  await Promise.all(holding.map((server) => server.close()))
  clients = []
  servers = []
  holding = []
})

async function startRegistry(token?: string): Promise<FakeRegistry> {
  const registry = await FakeRegistry.start({ token })
  servers.push(registry)
  return registry
}

/** A client whose sleeps are recorded and skipped (unless `realSleep`). */
function clientFor(
  registry: FakeRegistry,
  token: string | undefined,
  retry: Partial<RetryPolicy> = {},
  realSleep = false
): { client: RegistryClient; sleeps: number[] } {
  const sleeps: number[] = []
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms)
    if (realSleep) await new Promise((resolve) => setTimeout(resolve, ms))
  }
  const client = new RegistryClient(
    new URL(registry.url),
    token,
    { ...DEFAULT_RETRY, ...retry },
    sleep
  )
  clients.push(client)
  return { client, sleeps }
}

describe('RegistryClient.get: retries', () => {
  it('retries 503 twice with growing backoff, then returns the answer', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', { kind: 'status', status: 503 }, 2)
    const { client, sleeps } = clientFor(registry, undefined)
    expect(await client.packument('absent')).toBeUndefined()
    expect(registry.requestsTo('packument').map((r) => r.outcome)).toEqual([503, 503, 404])
    expect(sleeps).toHaveLength(2)
    expect(sleeps[0]).toBeGreaterThanOrEqual(150)
    expect(sleeps[0]).toBeLessThanOrEqual(300)
    expect(sleeps[1]).toBeGreaterThanOrEqual(300)
    expect(sleeps[1]).toBeLessThanOrEqual(600)
  })

  it('honours Retry-After (seconds) on a 429', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '2' }
    })
    const { client, sleeps } = clientFor(registry, undefined)
    expect(await client.packument('absent')).toBeUndefined()
    expect(sleeps).toEqual([2000])
  })

  it('honours Retry-After (HTTP date) on a 503', async () => {
    const registry = await startRegistry()
    const when = new Date(Date.now() + 3000).toUTCString()
    registry.failGet('packument', { kind: 'status', status: 503, headers: { 'retry-after': when } })
    const { client, sleeps } = clientFor(registry, undefined)
    expect(await client.packument('absent')).toBeUndefined()
    expect(sleeps).toHaveLength(1)
    // An HTTP date has whole seconds: up to 1 s less than 3 s.
    expect(sleeps[0]).toBeGreaterThan(1000)
    expect(sleeps[0]).toBeLessThanOrEqual(3000)
  })

  it('fails at once when Retry-After is beyond the retry budget', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { error: 'slow down' }
    })
    const { client, sleeps } = clientFor(registry, undefined)
    await expect(client.packument('absent')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(
        /HTTP 429 \(slow down\); Retry-After asks for 3600 s, more than the retry budget left/
      )
    })
    expect(sleeps).toEqual([])
    expect(registry.requestsTo('packument')).toHaveLength(1)
  })

  it('gives up after `attempts` answers of 503', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', { kind: 'status', status: 503 }, Infinity)
    const { client, sleeps } = clientFor(registry, undefined)
    await expect(client.packument('absent')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: `GET ${registry.url}absent failed: HTTP 503 (HTTP 503)`
    })
    expect(registry.requestsTo('packument')).toHaveLength(DEFAULT_RETRY.attempts)
    expect(sleeps).toHaveLength(DEFAULT_RETRY.attempts - 1)
  })

  it('retries a reset connection and malformed JSON', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', { kind: 'reset' })
    registry.failGet('packument', { kind: 'malformed' })
    const { client } = clientFor(registry, undefined)
    expect(await client.packument('absent')).toBeUndefined()
    expect(registry.requestsTo('packument').map((r) => r.outcome)).toEqual(['reset', 200, 404])
  })

  it('names malformed JSON when it persists', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', { kind: 'malformed' }, Infinity)
    const { client } = clientFor(registry, undefined)
    await expect(client.packument('absent')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringContaining('malformed JSON')
    })
  })

  it('does not retry 401 or 404', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.whoamiMode = { kind: 'unauthorized' }
    const { client, sleeps } = clientFor(registry, token)
    const whoami = await client.whoami()
    expect(whoami.status).toBe(401)
    expect(registry.requestsTo('whoami')).toHaveLength(1)
    expect(registry.requestsTo('whoami')[0].tokenSent).toBe(true)
    expect(sleeps).toEqual([])
  })

  it('bounds a stalled GET by the per-attempt timeout and the budget', async () => {
    const registry = await startRegistry()
    registry.failGet('packument', { kind: 'stall' }, Infinity)
    const { client } = clientFor(
      registry,
      undefined,
      { timeoutMs: 300, budgetMs: 1000, baseDelayMs: 50 },
      true
    )
    const started = performance.now()
    await expect(client.packument('absent')).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(/ETIMEDOUT: timeout, no answer within/)
    })
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(600)
    expect(elapsed).toBeLessThan(3000)
    expect(registry.requestsTo('packument').length).toBeLessThanOrEqual(DEFAULT_RETRY.attempts)
  })

  it('reads a packument anonymously when the token is refused on reads', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.seedVersion('public-pkg', '1.0.0', { integrity: 'sha512-abc' })
    registry.failGet('packument', { kind: 'status', status: 403, body: { error: 'IP blocked' } })
    const { client } = clientFor(registry, token)
    const packument = await client.packument('public-pkg')
    expect(packument?.versions?.['1.0.0']?.dist?.integrity).toBe('sha512-abc')
    const [withToken, anonymous] = registry.requestsTo('packument')
    expect(withToken.tokenSent).toBe(true)
    expect(anonymous.authorization).toBeUndefined()
  })

  it('escapes a scoped name in the packument URL', async () => {
    const registry = await startRegistry()
    registry.seedVersion('@acme/pkg', '2.0.0', { integrity: 'sha512-xyz' })
    const { client } = clientFor(registry, undefined)
    expect((await client.packument('@acme/pkg'))?.['dist-tags']).toEqual({ latest: '2.0.0' })
    expect(registry.requestsTo('packument')[0].url).toBe('/@acme%2fpkg')
  })
})

/** A registry that takes requests and answers none until `release()`; counts what arrived. */
async function holdingServer(): Promise<{
  url: URL
  arrived: string[]
  release: () => void
  close: () => Promise<void>
}> {
  const arrived: string[] = []
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  const server = http.createServer((request, response) => {
    arrived.push(request.url ?? '')
    void held.then(() => response.end('{"username":"ci-bot"}'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let closed: Promise<void> | undefined
  const handle = {
    url: new URL(`http://127.0.0.1:${port}/`),
    arrived,
    release: () => release(),
    close: () => {
      release()
      server.closeAllConnections()
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()))
      return closed
    }
  }
  holding.push(handle)
  return handle
}

describe('RegistryClient.sent', () => {
  it('resolves once the requests are written (after I/O), before their answers arrive', async () => {
    const server = await holdingServer()
    const client = new RegistryClient(server.url, 'token')
    clients.push(client)
    let answered = false
    const whoami = client.whoami().then(() => (answered = true))
    const list = client.tokenList()
    // Writing needs the event loop to connect and flush: a sent() that resolved at once (before
    // any I/O phase) would beat this setImmediate.
    let ioPhasePassed = false
    setImmediate(() => (ioPhasePassed = true))
    await client.sent()
    expect(ioPhasePassed).toBe(true)
    expect(answered).toBe(false)
    // Written means on its way: the server sees both while their answers are still held back.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(server.arrived.sort()).toEqual(['/-/npm/v1/tokens?perPage=100', '/-/whoami'])
    server.release()
    await Promise.all([whoami, list])
    expect(answered).toBe(true)
    await client.sent() // nothing pending: resolves at once
    await server.close()
  })
})

describe('RegistryClient.close', () => {
  it('ends the requests in flight and retries nothing afterwards', async () => {
    const server = await holdingServer()
    const client = new RegistryClient(server.url, 'token', {
      ...DEFAULT_RETRY,
      baseDelayMs: 10
    })
    clients.push(client)
    const whoami = client.whoami()
    const list = client.tokenList()
    await client.sent()
    const started = performance.now()
    await client.close()
    await expect(whoami).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE' })
    expect(await list).toMatchObject({ kind: 'unavailable' })
    expect(performance.now() - started).toBeLessThan(1000)
    // No retry after the close: the registry saw each request once, and sees nothing new.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(server.arrived.sort()).toEqual(['/-/npm/v1/tokens?perPage=100', '/-/whoami'])
    await expect(client.packument('x')).rejects.toThrow(/closed/)
    expect(server.arrived).toHaveLength(2)
    await server.close()
  }, 10_000)
})

describe('RegistryClient.tokenList: paging', () => {
  it('follows urls.next to the last page', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.tokenList = {
      mode: 'list',
      entries: [...otherEntries(4), tokenEntry(token)],
      pageSize: 2
    }
    const { client } = clientFor(registry, token)
    const list = await client.tokenList()
    expect(list).toMatchObject({ kind: 'entries', pages: 3, complete: true })
    expect(list.kind === 'entries' && list.entries).toHaveLength(5)
    expect(registry.requestsTo('tokens').every((r) => r.tokenSent)).toBe(true)
  })

  it('follows an absolute same-origin urls.next', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.tokenList = {
      mode: 'list',
      entries: otherEntries(2),
      pageSize: 1,
      next: (page, count) =>
        page + 1 < count ? `${registry.url}-/npm/v1/tokens?page=${page + 1}` : undefined
    }
    const { client } = clientFor(registry, token)
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 2 })
  })

  it('stops at the page cap', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.tokenList = { mode: 'list', entries: otherEntries(10), pageSize: 1 }
    const { client } = clientFor(registry, token)
    const list = await client.tokenList(3)
    expect(list).toMatchObject({ kind: 'entries', pages: 3, complete: false })
    expect(list.kind === 'entries' && list.entries).toHaveLength(3)
    expect(registry.requestsTo('tokens')).toHaveLength(3)
  })

  it('stops on a repeated urls.next', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.tokenList = {
      mode: 'list',
      entries: otherEntries(3),
      pageSize: 1,
      next: () => '/-/npm/v1/tokens?page=1&perPage=1'
    }
    const { client } = clientFor(registry, token)
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 2 })
    expect(registry.requestsTo('tokens').map((r) => r.url)).toEqual([
      '/-/npm/v1/tokens?perPage=100',
      '/-/npm/v1/tokens?page=1&perPage=1'
    ])
  })

  it('refuses a cross-origin urls.next: the other host never sees the token', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    const elsewhere = await startRegistry(token)
    registry.tokenList = {
      mode: 'list',
      entries: otherEntries(2),
      pageSize: 1,
      next: () => `${elsewhere.url}-/npm/v1/tokens?page=1`
    }
    const { client } = clientFor(registry, token)
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 1 })
    expect(elsewhere.requests).toEqual([])
  })

  it.each([
    ['a relative link out of the path', () => '../../other-repo/-/npm/v1/tokens'],
    [
      'an absolute link to another path',
      (origin: string) => `${origin}/other-repo/-/npm/v1/tokens`
    ],
    ['a malformed link', () => 'http://[bad']
  ])('keeps the token under the registry path: refuses %s', async (_what, link) => {
    // A shared server (Nexus, Artifactory) hosting several repositories under one origin.
    const seen: string[] = []
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? '')
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ objects: [], urls: { next: link(origin) } }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const client = new RegistryClient(
        new URL(`http://127.0.0.1:${port}/repository/npm-hosted/`),
        fakeToken(),
        DEFAULT_RETRY
      )
      clients.push(client)
      expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 1 })
      expect(seen).toEqual(['/repository/npm-hosted/-/npm/v1/tokens?perPage=100'])
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('stops on an empty urls.next (Verdaccio) and tolerates a missing urls', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.tokenList = { mode: 'list', entries: otherEntries(1), next: () => '' }
    const { client } = clientFor(registry, token)
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 1 })
    registry.failGet('tokens', { kind: 'status', status: 200, body: { objects: otherEntries(2) } })
    expect(await client.tokenList()).toMatchObject({ kind: 'entries', pages: 1 })
    expect(registry.requestsTo('tokens')).toHaveLength(2)
  })

  it('reports "unavailable" on 401 and 403', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    const { client } = clientFor(registry, token)
    registry.tokenList = { mode: 'forbidden', entries: [] }
    expect(await client.tokenList()).toMatchObject({ kind: 'unavailable', status: 403 })
    registry.tokenList = { mode: 'unauthorized', entries: [] }
    expect(await client.tokenList()).toMatchObject({ kind: 'unavailable', status: 401 })
  })

  it('reports "unavailable" (does not throw) when the list keeps failing', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.failGet('tokens', { kind: 'status', status: 502 }, Infinity)
    const { client } = clientFor(registry, token)
    expect(await client.tokenList()).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringContaining('HTTP 502')
    })
  })

  it('reports "unavailable" for a body without objects', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.failGet('tokens', { kind: 'status', status: 200, body: { tokens: [] } })
    const { client } = clientFor(registry, token)
    expect(await client.tokenList()).toMatchObject({ kind: 'unavailable', status: 200 })
  })
})

describe('RegistryClient.egressAddress', () => {
  it('uses the local socket address for a loopback registry', async () => {
    const registry = await startRegistry()
    const { client } = clientFor(registry, undefined)
    await client.packument('absent')
    expect(await client.egressAddress()).toEqual({
      address: '127.0.0.1',
      source: 'local socket address'
    })
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-23T12:00:00Z')

  it('reads delay-seconds', () => {
    expect(retryAfterMs('1', now)).toBe(1000)
    expect(retryAfterMs(' 120 ', now)).toBe(120_000)
    expect(retryAfterMs('0', now)).toBe(0)
  })

  it('reads an HTTP date, never negative', () => {
    expect(retryAfterMs('Mon, 23 Nov 2026 12:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Mon, 23 Nov 2026 11:59:00 GMT', now)).toBe(0)
  })

  it('ignores a missing or unreadable value', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined()
    expect(retryAfterMs('', now)).toBeUndefined()
    expect(retryAfterMs('soon', now)).toBeUndefined()
  })
})

describe('retryPolicy', () => {
  it('is the default without the override', () => {
    expect(retryPolicy({})).toEqual(DEFAULT_RETRY)
    expect(retryPolicy({ NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: 'abc' })).toEqual(DEFAULT_RETRY)
    expect(retryPolicy({ NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '0' })).toEqual(DEFAULT_RETRY)
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
})

describe('RegistryClient behind a proxy', () => {
  it('sends its requests through HTTP_PROXY, as npm would, and does not trust the socket for the egress address', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    const proxied: string[] = []
    // A minimal forward proxy: plain-http requests arrive with an absolute URL.
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
      req.pipe(upstream)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const { port } = proxy.address() as AddressInfo
    process.env['HTTP_PROXY'] = `http://127.0.0.1:${port}`
    try {
      const client = new RegistryClient(new URL(registry.url), token, DEFAULT_RETRY)
      clients.push(client)
      expect((await client.whoami()).status).toBe(200)
      expect(proxied).toEqual([`GET ${registry.url}-/whoami`])
      expect((await client.egressAddress()).source).not.toBe('local socket address')
    } finally {
      delete process.env['HTTP_PROXY']
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
  })
})
