/**
 * Registry faults, end to end through dist/index.js (main, then post) against the scripted fake
 * registry (and, for TLS, a self-signed https server). One case per row: what the registry does,
 * and what the action must make of it — the code (the annotation's title), the remedy in the
 * `::error title=CODE::` line, how many PUTs, and never a double publish. The read-back after an
 * ambiguous upload is src/publish-one.ts's; the retries, caps and TLS are src/registry.ts's.
 * Timing cases run with NPM_AUTOMATION_PUBLISH_TIMEOUT_MS shortened, and log their figures.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ERROR_CODES, type ErrorCode } from '../src/errors.js'
import {
  makeSandbox,
  removeSandboxes,
  runAction,
  writePackage,
  type RunResult
} from '../scripts/lib/runner.mjs'
import {
  FakeRegistry,
  PUT_FAULTS,
  closedPort,
  fakeToken,
  type GetFault,
  type PutBehaviour,
  type RecordedRequest
} from './helpers/fake-registry.js'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'
import { selfSignedCert } from './helpers/tls.js'

const NAME = 'fault-pkg'
const ACTION_UA = 'npm-automation-publish'

let servers: { close: () => Promise<void> }[] = []

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})

afterAll(() => removeSandboxes())

async function startRegistry(token: string): Promise<FakeRegistry> {
  const registry = await FakeRegistry.start({ token })
  servers.push(registry)
  return registry
}

interface Run extends RunResult {
  token: string
}

/** Runs the action (main + post) against `registry` for a fresh `fault-pkg@1.0.0`. */
async function publish(
  registry: FakeRegistry | string,
  token: string,
  options: {
    env?: Record<string, string>
    inputs?: Record<string, string>
    onMainStart?: (child: ChildProcess) => void
  } = {}
): Promise<Run> {
  const sandbox = makeSandbox('nap-faults-')
  writePackage(path.join(sandbox.workspace, 'pkg'), { name: NAME, version: '1.0.0' })
  const run = await runAction({
    inputs: {
      token,
      registry: typeof registry === 'string' ? registry : registry.url,
      package: 'pkg',
      ...options.inputs
    },
    env: options.env,
    onMainStart: options.onMainStart,
    sandbox
  })
  return { ...run, token }
}

/**
 * The peak resident set (VmHWM) of a running process, in MiB: read from /proc until it exits, so
 * the last value read is its peak (undefined where /proc is not there).
 */
function watchPeakRss(child: ChildProcess): () => number | undefined {
  let peak: number | undefined
  const read = (): void => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1])
      if (Number.isFinite(kb)) peak = Math.max(peak ?? 0, kb / 1024)
    } catch {
      // exited (or no /proc)
    }
  }
  const timer = setInterval(read, 20)
  child.once('exit', () => clearInterval(timer))
  read()
  return () => peak
}

/** What every run must satisfy: post clean, no credentials dir left, the token nowhere. */
function expectClean(run: Run, registry?: FakeRegistry): void {
  expect(run.post?.exitCode).toBe(0)
  expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
  const sources = runSources(run)
  // Nor in what reached the registry: the publish documents, tarballs included (base64).
  const uploaded = JSON.stringify(registry?.puts.map((put) => put.document) ?? [])
  expect(findLeaks(run.token, { ...sources, texts: { ...sources.texts, uploaded } })).toEqual([])
}

function expectPublished(run: Run, registry: FakeRegistry): void {
  expect(run.main.exitCode).toBe(0)
  expect(run.outputs['published']).toBe('true')
  expect(run.outputs['id']).toBe(`${NAME}@1.0.0`)
  expect(run.outputs['error-code']).toBe('')
  // Exactly one version, written exactly once, with the integrity the action reports.
  expect(registry.versionsOf(NAME)).toEqual(['1.0.0'])
  expect(registry.stores.get(`${NAME}@1.0.0`)).toBe(1)
  expect(run.outputs['integrity']).toBe(
    registry.packages.get(NAME)?.versions['1.0.0'].dist.integrity
  )
  expectClean(run, registry)
}

/** The `::error title=CODE::message. remedy` annotation; returns the line. */
function expectFailure(
  run: Run,
  code: ErrorCode,
  registry?: FakeRegistry,
  remedy: string = ERROR_CODES[code]
): string {
  expect(run.main.exitCode).toBe(1)
  expect(run.outputs['error-code']).toBe(code)
  expect(run.outputs['published']).toBe('false')
  const errors = run.main.stdout.split('\n').filter((l) => l.startsWith('::error'))
  expect(errors).toHaveLength(1)
  const line = errors[0] ?? ''
  expect(line).toMatch(new RegExp(`^::error title=${code}::`))
  expect(line).toContain(remedy)
  expectClean(run, registry)
  return line
}

function actionGets(registry: FakeRegistry, route: RecordedRequest['route']): RecordedRequest[] {
  return registry.requestsTo(route, 'GET').filter((r) => r.userAgent === ACTION_UA)
}

const NOT_FOUND: GetFault = { kind: 'status', status: 404, body: { error: 'not found' } }

describe('a registry whose reads lag', () => {
  it('a rerun that npm finds published (our read did not) is green, publishes nothing, runs npm once', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    expectPublished(await publish(registry, token), registry)
    // The preflight's packument read misses the version (a lagging replica); npm's own read sees it.
    registry.failGet('packument', { kind: 'status', status: 404, body: { error: 'not found' } }, 1)
    const rerun = await publish(registry, token)
    expect(rerun.main.exitCode).toBe(0)
    expect(rerun.outputs).toMatchObject({ published: 'false', type: 'same', 'error-code': '' })
    expect(rerun.main.stdout).toContain('already published with identical content')
    expect(rerun.main.stdout.match(/::group::npm publish/g)).toHaveLength(1)
    expect(registry.puts.map((p) => p.outcome)).toEqual([201])
    expectClean(rerun, registry)
  })

  it("a rerun whose reads all miss the version: the refused upload is an earlier run's, by its date", async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    expectPublished(await publish(registry, token), registry)
    registry.backdate(NAME, 10 * 60_000) // the first run was ten minutes ago
    // Every read before the upload misses it (the preflight's, npm's own): npm uploads, and the
    // registry refuses a duplicate; the read-backs see it.
    registry.failGet('packument', NOT_FOUND, Infinity)
    registry.onPut = () => registry.clearGetFaults('packument')
    const rerun = await publish(registry, token)
    expect(rerun.main.exitCode).toBe(0)
    expect(rerun.outputs).toMatchObject({ published: 'false', type: 'same', 'error-code': '' })
    expect(registry.puts.map((p) => p.outcome)).toEqual([201, 409])
    expect(registry.stores.get(`${NAME}@1.0.0`)).toBe(1)
    expectClean(rerun, registry)
  })

  it('never uploads again when the registry says the version exists but its reads do not show it', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    expectPublished(await publish(registry, token), registry)
    // The preflight, npm's own reads and the three read-backs all miss it.
    registry.failGet('packument', NOT_FOUND, Infinity)
    const rerun = await publish(registry, token)
    const line = expectFailure(
      rerun,
      'PUBLISH_FAILED',
      registry,
      'Nothing was uploaded by this run. If this re-runs a release that succeeded, the version is out; otherwise bump the version.'
    )
    expect(line).toContain('as already published, but the registry does not show it')
    expect(registry.puts.map((p) => p.outcome)).toEqual([201, 409])
  })
})

describe('GET faults during the preflight', () => {
  it('retries a packument GET answered 503 twice, then publishes', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.failGet('packument', PUT_FAULTS.unavailable, 2)
    const run = await publish(registry, token)
    expectPublished(run, registry)
    const gets = actionGets(registry, 'packument')
    expect(gets.slice(0, 3).map((r) => r.outcome)).toEqual([503, 503, 404])
    expect(registry.puts).toHaveLength(1)
  })

  it('honours Retry-After on a 429, then publishes', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.failGet('packument', {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: 'Too Many Requests' }
    })
    const run = await publish(registry, token)
    expectPublished(run, registry)
    const [limited, retried] = actionGets(registry, 'packument')
    expect(limited.outcome).toBe(429)
    expect(retried.outcome).toBe(404)
    const gap = retried.at - limited.at
    console.log(`429 + Retry-After: 1 → retried after ${Math.round(gap)} ms`)
    expect(gap).toBeGreaterThanOrEqual(990)
    expect(gap).toBeLessThan(5000)
  })

  it('retries a malformed JSON packument once, then publishes', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.failGet('packument', { kind: 'malformed' })
    const run = await publish(registry, token)
    expectPublished(run, registry)
    expect(
      actionGets(registry, 'packument')
        .slice(0, 2)
        .map((r) => r.outcome)
    ).toEqual([200, 404])
  })

  it('fails with REGISTRY_UNREACHABLE naming malformed JSON when the packument stays malformed', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.failGet('packument', { kind: 'malformed' }, Infinity)
    const run = await publish(registry, token)
    const line = expectFailure(run, 'REGISTRY_UNREACHABLE', registry)
    expect(line).toContain(`GET ${registry.url}${NAME} failed: malformed JSON`)
    expect(actionGets(registry, 'packument')).toHaveLength(4)
    expect(registry.puts).toHaveLength(0)
  })

  it('gives up on a stalled GET within the (shortened) timeout budget', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.failGet('packument', { kind: 'stall' }, Infinity)
    const started = performance.now()
    // 1 s per attempt, 2 s budget (the default, 10 s / 20 s, is measured in the report, not here).
    const run = await publish(registry, token, {
      env: { NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '1000' }
    })
    const seconds = (performance.now() - started) / 1000
    console.log(`stalled packument GET → failure after ${run.main.ms.toFixed(0)} ms (main step)`)
    const line = expectFailure(run, 'REGISTRY_UNREACHABLE', registry)
    expect(line).toMatch(/timeout/i)
    expect(run.main.ms).toBeLessThan(10_000)
    expect(seconds).toBeLessThan(15)
    expect(registry.puts).toHaveLength(0)
  })

  it('fails with REGISTRY_UNREACHABLE within a bounded time when nothing listens', async () => {
    const token = fakeToken()
    const port = await closedPort()
    const run = await publish(`http://127.0.0.1:${port}/`, token)
    console.log(`closed port → REGISTRY_UNREACHABLE after ${run.main.ms.toFixed(0)} ms (main step)`)
    const line = expectFailure(run, 'REGISTRY_UNREACHABLE')
    expect(line).toContain('ECONNREFUSED')
    expect(run.main.ms).toBeLessThan(60_000)
    // No credentials directory was ever made, and none is left.
    expect(run.state['credentialsDir']).toBeUndefined()
    expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
  })
})

describe('PUT faults during the publish', () => {
  it('confirms a PUT that landed before the connection was reset, without a second PUT', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.scriptPut(PUT_FAULTS.reset)
    const run = await publish(registry, token)
    expectPublished(run, registry)
    expect(registry.puts).toHaveLength(1)
    expect(registry.puts[0].outcome).toBe('reset')
    expect(registry.puts[0].tokenSent).toBe(true)
    // The read-back came after the PUT and found it: no PUT follows it.
    const readBack = actionGets(registry, 'packument').filter((r) => r.at > registry.puts[0].at)
    expect(readBack.length).toBeGreaterThanOrEqual(1)
    expect(readBack[0].outcome).toBe(200)
    expect(run.main.stdout).toContain('reading the registry back')
    expect(run.main.stdout).toContain('ECONNRESET')
    expect(run.main.stdout).not.toContain('publishing once more')
  })

  it("takes a first upload refused as a duplicate at its word: not this run's, no second PUT", async () => {
    // A 409 "cannot publish over" to this run's only upload says the version was there before it
    // (a concurrent run); a proxy replaying the PUT would look the same, and is the rarer case.
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.scriptPut(PUT_FAULTS.conflictAfterStore)
    const run = await publish(registry, token)
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'false', type: 'same', 'error-code': '' })
    expect(registry.puts).toHaveLength(1)
    expect(registry.puts[0].outcome).toBe(409)
    expect(run.main.stdout).toContain('already published with identical content')
    expectClean(run, registry)
  })

  it("confirms an upload as this run's when the retry is refused as a duplicate", async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    // The first PUT is stored but its answer is lost; the read-back misses it (lag); the second
    // PUT is refused as a duplicate: the version is this run's first upload.
    registry.scriptPut(PUT_FAULTS.reset)
    registry.onPut = () => {
      registry.onPut = undefined
      // After the first PUT: the read-back and npm's own read for the retry both miss it.
      registry.failGet(
        'packument',
        { kind: 'status', status: 404, body: { error: 'not found' } },
        2
      )
    }
    const run = await publish(registry, token)
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'true', 'error-code': '' })
    // The retry is refused as a duplicate, by npm's own read or by the registry (409).
    expect(registry.puts[0].outcome).toBe('reset')
    expect(registry.puts.slice(1).map((p) => p.outcome)).toEqual(
      registry.puts.length > 1 ? [409] : []
    )
    expect(registry.stores.get(`${NAME}@1.0.0`)).toBe(1)
    expect(run.main.stdout).toContain('publishing once more')
    expect(run.summary).toContain('confirmed by reading the registry back')
    expectClean(run, registry)
  })

  it('publishes once more after a 500 that stored nothing: exactly two PUTs', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.scriptPut(PUT_FAULTS.serverError)
    const run = await publish(registry, token)
    expectPublished(run, registry)
    expect(registry.puts.map((p) => p.outcome)).toEqual([500, 201])
    const [first, second] = registry.puts
    const readBack = actionGets(registry, 'packument').filter(
      (r) => r.at > first.at && r.at < second.at
    )
    expect(readBack.map((r) => r.outcome)).toEqual([404])
    expect(run.main.stdout).toContain('publishing once more')
  })

  it('fails without a third PUT when the registry keeps answering 500', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token)
    registry.scriptPut(PUT_FAULTS.serverError, Infinity)
    const run = await publish(registry, token)
    const line = expectFailure(
      run,
      'PUBLISH_FAILED',
      registry,
      'Nothing was published. Re-run the job; if it keeps failing, check the registry status.'
    )
    expect(line).toContain('E500')
    expect(registry.puts).toHaveLength(2)
    expect(registry.versionsOf(NAME)).toEqual([])
  })

  const definite: [string, PutBehaviour, ErrorCode, string][] = [
    [
      '404 (npmjs hides "no write access" as 404)',
      PUT_FAULTS.notFound,
      'PUBLISH_FORBIDDEN',
      'npmjs answers 404 to an upload when the token cannot write this package'
    ],
    ['403 with the 2FA text', PUT_FAULTS.twoFactor, 'OTP_REQUIRED', ERROR_CODES.OTP_REQUIRED],
    [
      '401 + www-authenticate: OTP (EOTP)',
      PUT_FAULTS.otp,
      'OTP_REQUIRED',
      ERROR_CODES.OTP_REQUIRED
    ],
    [
      '403 without 2FA text',
      PUT_FAULTS.forbidden,
      'PUBLISH_FORBIDDEN',
      'The registry refused the upload'
    ],
    [
      '401 + www-authenticate: ipaddress (EAUTHIP)',
      PUT_FAULTS.ipAddress,
      'TOKEN_CIDR',
      ERROR_CODES.TOKEN_CIDR
    ],
    [
      '422 without provenance',
      PUT_FAULTS.unprocessable,
      'PUBLISH_FAILED',
      'The registry rejected the package document'
    ]
  ]

  it.each(definite)(
    'fails on a PUT answered %s, with one PUT and nothing stored',
    async (_label, behaviour, code, remedy) => {
      const token = fakeToken()
      const registry = await startRegistry(token)
      registry.scriptPut(behaviour)
      const run = await publish(registry, token)
      expectFailure(run, code, registry, remedy)
      expect(registry.puts).toHaveLength(1)
      expect(registry.puts[0].tokenSent).toBe(true)
      expect(registry.versionsOf(NAME)).toEqual([])
      // A definite answer needs no read-back.
      expect(actionGets(registry, 'packument').filter((r) => r.at > registry.puts[0].at)).toEqual(
        []
      )
    }
  )
})

describe('GET faults the caps and the token decide', () => {
  it("cuts an endless packument at the 64 MiB cap: REGISTRY_UNREACHABLE, the action's memory bounded", async () => {
    const token = fakeToken()
    const baseline = await startRegistry(token)
    let normalPeak: () => number | undefined = () => undefined
    expectPublished(
      await publish(baseline, token, {
        onMainStart: (child) => (normalPeak = watchPeakRss(child))
      }),
      baseline
    )
    const registry = await startRegistry(token)
    registry.failGet('packument', { kind: 'endless' })
    let peak: () => number | undefined = () => undefined
    // A long attempt timeout: the cap, not the clock, must end the read on a slow machine.
    const run = await publish(registry, token, {
      env: { NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '60000' },
      onMainStart: (child) => (peak = watchPeakRss(child))
    })
    console.log(
      `endless packument → failure after ${run.main.ms.toFixed(0)} ms (main step); action peak RSS ${peak()?.toFixed(0)} MiB (a normal publish: ${normalPeak()?.toFixed(0)} MiB)`
    )
    const line = expectFailure(run, 'REGISTRY_UNREACHABLE', registry)
    expect(line).toContain(
      `GET ${registry.url}${NAME}: the answer is larger than 64 MiB, the most the action reads; it stopped reading there`
    )
    // Not retried: one endless answer is read once.
    expect(actionGets(registry, 'packument')).toHaveLength(1)
    expect(registry.puts).toHaveLength(0)
    // /proc is there on the Linux runners these tests run on.
    expect((peak() ?? Infinity) - (normalPeak() ?? 0)).toBeLessThan(200)
  })

  it('takes a 431 to a token far too long for a header as TOKEN_MALFORMED, not REGISTRY_UNREACHABLE', async () => {
    // Printable ASCII without spaces passes the input check; Node's server refuses a header of
    // more than 16 KiB with 431 before any handler runs.
    const token = fakeToken().repeat(500)
    const registry = await startRegistry(token)
    const run = await publish(registry, token)
    const line = expectFailure(run, 'TOKEN_MALFORMED', registry)
    expect(line).toContain(
      `127.0.0.1:${registry.port} refused the request headers as too large (HTTP 431): the token is far longer than a registry token`
    )
    expect(line).not.toContain('REGISTRY_UNREACHABLE')
    expect(registry.puts).toHaveLength(0)
  })
})

// At module load: no server of this file is running yet, so the blocking openssl stalls none.
const TLS = selfSignedCert()
const describeWithOpenssl = TLS ? describe : describe.skip
if (!TLS) console.log('openssl not found: the self-signed registry case is skipped')

describeWithOpenssl('TLS', () => {
  it('refuses a self-signed https registry even with NODE_TLS_REJECT_UNAUTHORIZED=0: no request reaches it', async () => {
    const paths: string[] = []
    let refused = 0
    const server = https.createServer({ ...TLS }, (req, res) => {
      paths.push(req.url ?? '')
      res.end('{}')
    })
    server.on('tlsClientError', () => refused++)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    servers.push({
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
    })
    const { port } = server.address() as AddressInfo
    const token = fakeToken()
    const run = await publish(`https://127.0.0.1:${port}/`, token, {
      env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' }
    })
    console.log(
      `self-signed registry → REGISTRY_UNREACHABLE after ${run.main.ms.toFixed(0)} ms (main step), ${refused} handshake(s) refused`
    )
    const line = expectFailure(
      run,
      'REGISTRY_UNREACHABLE',
      undefined,
      'For a registry with a private CA, point NODE_EXTRA_CA_CERTS at the CA file'
    )
    expect(line).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT: .*self[- ]signed certificate/)
    expect(paths).toEqual([])
    // Certificate failures are not retried: whoami, the token list and the packument, once each.
    expect(refused).toBeGreaterThanOrEqual(1)
    expect(refused).toBeLessThanOrEqual(3)
  })
})

describe('dist-tag moves (PUT /-/package/<name>/dist-tags/<tag>)', () => {
  async function published(): Promise<{ token: string; registry: FakeRegistry }> {
    const token = fakeToken()
    const registry = await startRegistry(token)
    expectPublished(await publish(registry, token), registry)
    return { token, registry }
  }

  it('retries a dist-tag PUT answered 503, then moves the tag; nothing is published again', async () => {
    const { token, registry } = await published()
    registry.scriptDistTag({ status: 503, body: { error: 'Service Unavailable' } })
    const rerun = await publish(registry, token, { inputs: { tag: 'next' } })
    expect(rerun.main.exitCode).toBe(0)
    expect(rerun.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'true',
      'error-code': ''
    })
    expect(registry.distTagPuts.map((p) => [p.outcome, p.tag, p.version, p.tokenSent])).toEqual([
      [503, 'next', '1.0.0', true],
      [201, 'next', '1.0.0', true]
    ])
    expect(registry.packages.get(NAME)?.['dist-tags']).toEqual({ latest: '1.0.0', next: '1.0.0' })
    expect(registry.puts).toHaveLength(1)
    expect(registry.stores.get(`${NAME}@1.0.0`)).toBe(1)
    expectClean(rerun, registry)
  })

  it('fails with PUBLISH_FORBIDDEN when the registry refuses the move, quoting its answer', async () => {
    const { token, registry } = await published()
    registry.scriptDistTag({
      status: 403,
      body: { error: 'You may not change the tags of this package' }
    })
    const rerun = await publish(registry, token, { inputs: { tag: 'next' } })
    const line = expectFailure(rerun, 'PUBLISH_FORBIDDEN', registry)
    expect(line).toContain(
      `The registry refused to move "next" to 1.0.0 for ${NAME}: HTTP 403 (You may not change the tags of this package)`
    )
    expect(registry.distTagPuts).toHaveLength(1)
    expect(registry.packages.get(NAME)?.['dist-tags']).toEqual({ latest: '1.0.0' })
  })

  it('fails with REGISTRY_UNREACHABLE when the dist-tag PUT keeps answering 503, after the attempts cap', async () => {
    const { token, registry } = await published()
    registry.scriptDistTag({ status: 503, body: { error: 'Service Unavailable' } }, Infinity)
    const rerun = await publish(registry, token, { inputs: { tag: 'next' } })
    const line = expectFailure(rerun, 'REGISTRY_UNREACHABLE', registry)
    expect(line).toContain(
      `PUT ${registry.url}-/package/${NAME}/dist-tags/next failed: HTTP 503 (Service Unavailable)`
    )
    expect(registry.distTagPuts).toHaveLength(4)
    expect(registry.packages.get(NAME)?.['dist-tags']).toEqual({ latest: '1.0.0' })
  })
})
