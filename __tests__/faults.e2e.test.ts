/**
 * Issue #6: registry faults, end to end through dist/index.js (main, then post) against the
 * scripted fake registry. One case per row: what the registry does, and what the action must make
 * of it — the code, the remedy in the `::error::` line, how many PUTs, and never a double publish.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { ERROR_CODES, type ErrorCode } from '../src/errors.js'
import { makeSandbox, runAction, writePackage, type RunResult } from '../scripts/lib/runner.mjs'
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

const NAME = 'fault-pkg'
const ACTION_UA = 'npm-automation-publish'

let servers: FakeRegistry[] = []

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})

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
  options: { env?: Record<string, string>; inputs?: Record<string, string> } = {}
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
    sandbox
  })
  return { ...run, token }
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

/** The `::error::` annotation: `[CODE] message. remedy`; returns the line. */
function expectFailure(
  run: Run,
  code: ErrorCode,
  registry?: FakeRegistry,
  remedy: string = ERROR_CODES[code]
): string {
  expect(run.main.exitCode).toBe(1)
  expect(run.outputs['error-code']).toBe(code)
  expect(run.outputs['published']).toBe('false')
  const line = run.main.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
  expect(line).toMatch(new RegExp(`^::error::\\[${code}\\] `))
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
