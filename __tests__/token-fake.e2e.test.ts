/**
 * Issue #4: the token preflight against npmjs's 2026 token-list shape (redacted `npm_XXXX...YYYY`,
 * `cidr`, `permissions`, `scopes`, `expiry`, paging through `urls.next`), which Verdaccio cannot
 * show. End to end through dist/index.js (main, then post) against the scripted fake registry.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { ERROR_CODES, type ErrorCode } from '../src/errors.js'
import { makeSandbox, runAction, writePackage, type RunResult } from '../scripts/lib/runner.mjs'
import { FakeRegistry, fakeToken, otherEntries, tokenEntry } from './helpers/fake-registry.js'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'

const NAME = 'token-pkg'
const DAY = 86_400_000

let servers: FakeRegistry[] = []

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})

/** A fake registry that knows `token` and lists `entries` (one page unless `pageSize`). */
async function startRegistry(
  token: string,
  entries: object[],
  pageSize?: number
): Promise<FakeRegistry> {
  const registry = await FakeRegistry.start({ token, username: 'ci-bot' })
  registry.tokenList = { mode: 'list', entries, pageSize }
  servers.push(registry)
  return registry
}

interface Run extends RunResult {
  token: string
}

async function publish(
  registry: FakeRegistry,
  token: string,
  inputs: Record<string, string> = {},
  name = NAME
): Promise<Run> {
  const sandbox = makeSandbox('nap-token-')
  writePackage(path.join(sandbox.workspace, 'pkg'), { name, version: '1.0.0' })
  const run = await runAction({
    inputs: { token, registry: registry.url, package: 'pkg', ...inputs },
    sandbox
  })
  return { ...run, token }
}

function expectClean(run: Run): void {
  expect(run.post?.exitCode).toBe(0)
  expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
  expect(findLeaks(run.token, runSources(run))).toEqual([])
}

function warnings(run: Run): string[] {
  return run.main.stdout.split('\n').filter((line) => line.startsWith('::warning::'))
}

/** Failed before anything was uploaded: the code, the remedy, and an untouched PUT recorder. */
function expectRefused(run: Run, registry: FakeRegistry, code: ErrorCode): string {
  expect(run.main.exitCode).toBe(1)
  expect(run.outputs['error-code']).toBe(code)
  expect(run.outputs['published']).toBe('false')
  expect(run.outputs['token-check']).toBe('failed')
  const line = run.main.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
  expect(line).toMatch(
    new RegExp(`^::error::\\[${code}\\] Token check failed before anything was uploaded`)
  )
  expect(line).toContain(ERROR_CODES[code])
  expect(registry.puts).toEqual([])
  expect(registry.versionsOf(NAME)).toEqual([])
  expectClean(run)
  return line
}

function expectPublished(run: Run, registry: FakeRegistry, tokenCheck: string, name = NAME): void {
  expect(run.main.exitCode).toBe(0)
  expect(run.outputs['published']).toBe('true')
  expect(run.outputs['error-code']).toBe('')
  expect(run.outputs['token-check']).toBe(tokenCheck)
  expect(registry.puts).toHaveLength(1)
  expect(registry.puts[0].tokenSent).toBe(true)
  expect(registry.versionsOf(name)).toEqual(['1.0.0'])
  expectClean(run)
}

describe('token list verdicts that stop the publish (token-check: strict)', () => {
  it('refuses a token whose CIDR list excludes this runner (10.0.0.0/8 vs 127.0.0.1)', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [tokenEntry(token, { cidr: ['10.0.0.0/8'] })])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_CIDR')
    expect(line).toContain('127.0.0.1 (local socket address) is not in 10.0.0.0/8')
    expect(run.summary).toContain('| Allowed IP ranges fit this runner | ❌ fail (TOKEN_CIDR) |')
  })

  it('refuses an expired token', async () => {
    const token = fakeToken()
    const expiry = new Date(Date.now() - 3 * DAY).toISOString()
    const registry = await startRegistry(token, [tokenEntry(token, { expiry })])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_EXPIRED')
    expect(line).toContain(`expired on ${expiry.slice(0, 10)}`)
  })

  it('refuses a token limited to another package', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [
      tokenEntry(token, { scopes: [{ type: 'package', name: 'someone-else' }] })
    ])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_SCOPE')
    expect(line).toContain(`${NAME} is not in the token's list (someone-else)`)
  })

  it('refuses a read-only token', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [
      tokenEntry(token, { permissions: [{ name: 'package', action: 'read' }] })
    ])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_READONLY')
    expect(line).toContain('the token has no "write" permission')
  })

  it('refuses a token the list shows as revoked', async () => {
    const token = fakeToken()
    const revoked = new Date(Date.now() - DAY).toISOString()
    const registry = await startRegistry(token, [tokenEntry(token, { revoked })])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_INVALID')
    expect(line).toContain('Not revoked: the token is revoked')
  })

  it('refuses a token whoami answers 401 for, and PUTs nothing', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [])
    registry.whoamiMode = { kind: 'unauthorized' }
    registry.tokenList = { mode: 'unauthorized', entries: [] }
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_INVALID')
    expect(line).toContain('HTTP 401')
    expect(registry.requestsTo('whoami')[0].tokenSent).toBe(true)
  })

  it('refuses a token whoami rejects with www-authenticate: ipaddress', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [])
    registry.whoamiMode = { kind: 'ipaddress' }
    registry.tokenList = { mode: 'unauthorized', entries: [] }
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_CIDR')
    expect(line).toContain('the registry refuses the token from this IP address')
  })
})

describe('token list verdicts that let the publish go on', () => {
  it('finds our entry on page 3 of 3 and passes', async () => {
    const token = fakeToken()
    const entries = [...otherEntries(4), tokenEntry(token, { cidr: ['127.0.0.0/8'] })]
    const registry = await startRegistry(token, entries, 2)
    const run = await publish(registry, token)
    expectPublished(run, registry, 'passed')
    const pages = registry.requestsTo('tokens')
    expect(pages.map((r) => r.url)).toEqual([
      '/-/npm/v1/tokens?perPage=100',
      '/-/npm/v1/tokens?page=1&perPage=2',
      '/-/npm/v1/tokens?page=2&perPage=2'
    ])
    expect(pages.every((r) => r.tokenSent)).toBe(true)
    expect(run.outputs['token-user']).toBe('ci-bot')
    expect(warnings(run)).toEqual([])
    expect(run.summary).toContain(
      '| Allowed IP ranges fit this runner | ✅ pass | 127.0.0.1 is in 127.0.0.0/8 |'
    )
  })

  it('covers a scoped package with a token limited to its scope', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [
      tokenEntry(token, { scopes: [{ type: 'package', name: '@acme' }] })
    ])
    const run = await publish(registry, token, {}, '@acme/token-pkg')
    expectPublished(run, registry, 'passed', '@acme/token-pkg')
    expect(registry.puts[0].url).toBe('/@acme%2ftoken-pkg')
  })

  it('warns that details are unavailable when the list answers 403, and publishes', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [])
    registry.tokenList = { mode: 'forbidden', entries: [] }
    const run = await publish(registry, token)
    expectPublished(run, registry, 'warned')
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        /^::warning::Token check: Token details \(token list\): details unavailable \(HTTP 403/
      )
    ])
  })

  it('publishes despite a CIDR mismatch under token-check: warn, and says so', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [tokenEntry(token, { cidr: ['10.0.0.0/8'] })])
    const run = await publish(registry, token, { 'token-check': 'warn' })
    expectPublished(run, registry, 'warned')
    expect(warnings(run)).toContainEqual(
      expect.stringMatching(
        /^::warning::\[TOKEN_CIDR\] .*is not in 10\.0\.0\.0\/8.*token-check: warn, publishing anyway/
      )
    )
  })

  it('makes no whoami or token-list request under token-check: off', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [tokenEntry(token, { cidr: ['10.0.0.0/8'] })])
    const run = await publish(registry, token, { 'token-check': 'off' })
    expectPublished(run, registry, 'skipped')
    expect(registry.requestsTo('whoami')).toEqual([])
    expect(registry.requestsTo('tokens')).toEqual([])
    expect(registry.requests.every((r) => r.route === 'packument' || r.route === 'publish')).toBe(
      true
    )
  })

  it('warns about an expiry within 14 days, and publishes', async () => {
    const token = fakeToken()
    const expiry = new Date(Date.now() + 5 * DAY + 3_600_000).toISOString()
    const registry = await startRegistry(token, [tokenEntry(token, { expiry })])
    const run = await publish(registry, token)
    expectPublished(run, registry, 'warned')
    expect(warnings(run)).toEqual([
      `::warning::Token check: Not expired: expires on ${expiry.slice(0, 10)} (in 5 days): renew the token soon`
    ])
  })
})
