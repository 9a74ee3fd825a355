/**
 * The token preflight against npmjs's 2026 token-list shape (redacted `npm_XXXX...YYYY`, `cidr`,
 * `permissions`, `scopes`, `expiry`, `bypass_2fa`, paging through `urls.next`), which Verdaccio
 * cannot show. End to end through dist/index.js (main, then post) against the scripted fake
 * registry.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
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
  fakeToken,
  otherEntries,
  tokenEntry
} from './helpers/fake-registry.js'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'

const NAME = 'token-pkg'
const DAY = 86_400_000

let servers: FakeRegistry[] = []

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})

afterAll(() => removeSandboxes())

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

function annotations(run: Run, kind: 'error' | 'warning' | 'notice'): string[] {
  return run.main.stdout.split('\n').filter((line) => line.startsWith(`::${kind}`))
}

/** Failed before anything was uploaded: the code as the title, the remedy, no PUT. */
function expectRefused(run: Run, registry: FakeRegistry, code: ErrorCode, hint?: string): string {
  expect(run.main.exitCode).toBe(1)
  expect(run.outputs['error-code']).toBe(code)
  expect(run.outputs['published']).toBe('false')
  expect(run.outputs['token-check']).toBe('failed')
  const errors = annotations(run, 'error')
  expect(errors).toHaveLength(1)
  const line = errors[0]
  expect(line).toMatch(new RegExp(`^::error title=${code}::.+; nothing was uploaded\\. `))
  expect(line).not.toContain(`[${code}]`)
  expect(line).toContain(hint ?? ERROR_CODES[code])
  expect(run.summary).toContain(`<h2>❌ Token check failed: ${code}</h2>`)
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
  expect(annotations(run, 'error')).toEqual([])
  expect(registry.puts).toHaveLength(1)
  expect(registry.puts[0].tokenSent).toBe(true)
  expect(registry.versionsOf(name)).toEqual(['1.0.0'])
  expectClean(run)
}

/** A summary row of the token checks table. */
function checkRow(title: string, result: string, finding?: string): string {
  return `<tr><td>${title}</td><td>${result}</td>${finding === undefined ? '' : `<td>${finding}</td></tr>`}`
}

describe('token list verdicts that stop the publish (token-check: strict)', () => {
  it('refuses a token whose CIDR list excludes this runner (10.0.0.0/8 vs 127.0.0.1)', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [tokenEntry(token, { cidr: ['10.0.0.0/8'] })])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_CIDR')
    expect(line).toContain(
      'Allowed IP ranges: this runner (127.0.0.1, from the local socket address) is outside 10.0.0.0/8'
    )
    expect(run.summary).toContain(
      checkRow('Allowed IP ranges', '❌ failed (<code>TOKEN_CIDR</code>)')
    )
  })

  it('refuses an expired token', async () => {
    const token = fakeToken()
    const expiry = new Date(Date.now() - 3 * DAY).toISOString()
    const registry = await startRegistry(token, [tokenEntry(token, { expiry })])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_EXPIRED')
    expect(line).toContain(`Expiry: expired on ${expiry.slice(0, 10)};`)
  })

  it('refuses a token limited to another package', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [
      tokenEntry(token, { scopes: [{ type: 'package', name: 'someone-else' }] })
    ])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_SCOPE')
    expect(line).toContain(
      `Packages covered: ${NAME} not among the token's packages (someone-else)`
    )
  })

  it('refuses a read-only token', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [
      tokenEntry(token, { permissions: [{ name: 'package', action: 'read' }] })
    ])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_READONLY')
    expect(line).toContain('Write access: no "write" permission;')
    // The failing check first in the summary.
    expect(run.summary).toContain(
      `<tr><th>Check</th><th>Result</th><th>Finding</th></tr>${checkRow('Write access', '❌ failed (<code>TOKEN_READONLY</code>)', 'no &quot;write&quot; permission')}`
    )
  })

  it('refuses a token the list shows as revoked', async () => {
    const token = fakeToken()
    const revoked = new Date(Date.now() - DAY).toISOString()
    const registry = await startRegistry(token, [tokenEntry(token, { revoked })])
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_INVALID')
    expect(line).toContain('Revocation: revoked;')
  })

  it('refuses a token whose 2FA bypass is off (OTP_REQUIRED) before any PUT', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [tokenEntry(token, { bypass_2fa: false })])
    const run = await publish(registry, token)
    const line = expectRefused(
      run,
      registry,
      'OTP_REQUIRED',
      'Create a granular token with "Bypass 2FA" ticked'
    )
    expect(line).toContain('2FA bypass: off, so a direct publish would ask for a one-time password')
    expect(registry.requestsTo('publish')).toEqual([])
  })

  it('refuses a token whoami answers 401 for, and PUTs nothing', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [])
    registry.whoamiMode = { kind: 'unauthorized' }
    registry.tokenList = { mode: 'unauthorized', entries: [] }
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_INVALID')
    expect(line).toContain('Registry login (whoami): refused (HTTP 401)')
    expect(registry.requestsTo('whoami')[0].tokenSent).toBe(true)
  })

  it('refuses a token whoami rejects with www-authenticate: ipaddress', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [])
    registry.whoamiMode = { kind: 'ipaddress' }
    registry.tokenList = { mode: 'unauthorized', entries: [] }
    const run = await publish(registry, token)
    const line = expectRefused(run, registry, 'TOKEN_CIDR')
    expect(line).toContain("refused from this runner's IP address (HTTP 401)")
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
    expect(annotations(run, 'warning')).toEqual([])
    expect(annotations(run, 'notice')).toEqual([])
    expect(run.summary).toContain(
      checkRow('Allowed IP ranges', '✅ passed', '127.0.0.1 is in 127.0.0.0/8')
    )
  })

  it('covers a scoped package with a token limited to its scope', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [
      tokenEntry(token, { scopes: [{ type: 'package', name: '@acme' }] })
    ])
    const run = await publish(registry, token, { access: 'public' }, '@acme/token-pkg')
    expectPublished(run, registry, 'passed', '@acme/token-pkg')
    expect(registry.puts[0].url).toBe('/@acme%2ftoken-pkg')
  })

  it('a token list answering 403 is a notice, not a warning: passed on whoami, the list checks not checked', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [])
    registry.tokenList = { mode: 'forbidden', entries: [] }
    const run = await publish(registry, token)
    expectPublished(run, registry, 'passed')
    expect(annotations(run, 'warning')).toEqual([])
    expect(annotations(run, 'notice')).toEqual([
      expect.stringMatching(
        /^::notice title=Token details unavailable::Token details: not shown to this token \(HTTP 403\)/
      )
    ])
    expect(run.summary).toContain(
      checkRow('Registry login (whoami)', '✅ passed', 'logged in as ci-bot')
    )
    expect(run.summary).toContain(
      checkRow(
        'Token details (token list)',
        '➖ not checked',
        'not shown to this token (HTTP 403); the login check decides'
      )
    )
    for (const title of [
      'Revocation',
      'Expiry',
      'Write access',
      'Allowed IP ranges',
      'Packages covered',
      '2FA bypass'
    ]) {
      expect(run.summary).toContain(checkRow(title, '➖ not checked', 'no token details'))
    }
  })

  it('publishes despite a CIDR mismatch under token-check: warn, and says so', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [tokenEntry(token, { cidr: ['10.0.0.0/8'] })])
    const run = await publish(registry, token, { 'token-check': 'warn' })
    expectPublished(run, registry, 'warned')
    expect(annotations(run, 'warning')).toEqual([
      expect.stringMatching(
        /^::warning title=TOKEN_CIDR::Allowed IP ranges: .*is outside 10\.0\.0\.0\/8\. Publishing anyway \(`token-check: warn`\)\.$/
      )
    ])
  })

  it('under token-check: warn, an upload refused for a read-only token is reported as TOKEN_READONLY', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [
      tokenEntry(token, { permissions: [{ name: 'package', action: 'read' }] })
    ])
    registry.scriptPut(PUT_FAULTS.forbidden, Infinity)
    const run = await publish(registry, token, { 'token-check': 'warn' })
    expect(run.main.exitCode).toBe(1)
    expect(run.outputs['error-code']).toBe('TOKEN_READONLY')
    expect(run.outputs['token-check']).toBe('warned')
    expect(registry.puts.length).toBeGreaterThan(0) // npm did try, as told
    const errors = annotations(run, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^::error title=TOKEN_READONLY::/)
    expect(errors[0]).toContain(
      'as the token check found before the upload: Write access: no "write" permission.'
    )
    expect(errors[0]).not.toContain('PUBLISH_FORBIDDEN')
    expect(run.summary).toContain('<h2>❌ npm publish failed: TOKEN_READONLY</h2>')
    expect(registry.versionsOf(NAME)).toEqual([])
    expectClean(run)
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
    expect(annotations(run, 'warning')).toEqual([
      `::warning title=TOKEN_EXPIRING::Expiry: expires on ${expiry.slice(0, 10)}, in 5 days. Renew the token soon and update the secret.`
    ])
  })
})

describe('the health check (validate-only) and token expiry', () => {
  const expiringIn = (days: number): string =>
    new Date(Date.now() + days * DAY + 3_600_000).toISOString()

  it('fails a health check with TOKEN_EXPIRING for a token that expires in 5 days', async () => {
    const token = fakeToken()
    const expiry = expiringIn(5)
    const registry = await startRegistry(token, [tokenEntry(token, { expiry })])
    const run = await publish(registry, token, { 'validate-only': 'true' })
    const line = expectRefused(run, registry, 'TOKEN_EXPIRING')
    expect(line).toContain(`Expiry: expires on ${expiry.slice(0, 10)}, in 5 days;`)
  })

  it('expiry-warning-days: 3 lets the same token pass the health check and publish without a warning', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [tokenEntry(token, { expiry: expiringIn(5) })])
    const check = await publish(registry, token, {
      'validate-only': 'true',
      'expiry-warning-days': '3'
    })
    expect(check.main.exitCode).toBe(0)
    expect(check.outputs).toMatchObject({ 'token-check': 'passed', published: 'false' })
    expect(annotations(check, 'warning')).toEqual([])
    expect(registry.puts).toEqual([])
    expectClean(check)

    const run = await publish(registry, token, { 'expiry-warning-days': '3' })
    expectPublished(run, registry, 'passed')
    expect(annotations(run, 'warning')).toEqual([])
  })

  it('expiry-warning-days: 3 still fails a health check for a token that expires in 2 days', async () => {
    const token = fakeToken()
    const registry = await startRegistry(token, [tokenEntry(token, { expiry: expiringIn(2) })])
    const run = await publish(registry, token, {
      'validate-only': 'true',
      'expiry-warning-days': '3'
    })
    const line = expectRefused(run, registry, 'TOKEN_EXPIRING')
    expect(line).toContain(', in 2 days;')
  })
})
