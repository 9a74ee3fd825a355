import { describe, expect, it } from '@jest/globals'
import crypto from 'node:crypto'
import type { HttpResult } from '../src/registry.js'
import {
  addressInRange,
  findOwnEntry,
  judgeToken,
  type Check,
  type OwnEntry,
  type TokenVerdict,
  type TokenVerdictInput
} from '../src/token-check.js'

const TOKEN = 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'
const CLASSIC = '0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d'
const NOW = new Date('2026-11-23T12:00:00Z')
const whoamiOk: HttpResult = { status: 200, headers: {}, body: { username: 'ci' } }

/** A 2026 npmjs granular-token entry for TOKEN. */
function granular(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'release',
    key: crypto.randomUUID(),
    token: `${TOKEN.slice(0, 8)}...${TOKEN.slice(-4)}`,
    expiry: '2027-01-31T00:00:00Z',
    cidr: [],
    bypass_2fa: true,
    revoked: null,
    permissions: [{ name: 'package', action: 'write' }],
    scopes: [{ type: 'package', name: 'my-pkg' }],
    ...fields
  }
}

function own(entries: unknown[], token = TOKEN): OwnEntry {
  return findOwnEntry({ kind: 'entries', entries, pages: 1, complete: true }, token)
}

function judge(extra: Partial<TokenVerdictInput> = {}): TokenVerdict {
  return judgeToken({
    whoami: whoamiOk,
    own: own([granular()]),
    egress: { address: '203.0.113.9', source: 'test' },
    packageNames: ['my-pkg'],
    now: NOW,
    expiryWarningDays: 14,
    healthCheck: false,
    staged: false,
    host: 'registry.npmjs.org',
    ...extra
  })
}

const verdict = (entry: Record<string, unknown>, extra: Partial<TokenVerdictInput> = {}) =>
  judge({ own: own([entry]), ...extra })

const check = (result: TokenVerdict, id: Check['id']): Check => {
  const found = result.checks.find((c) => c.id === id)
  if (!found) throw new Error(`no ${id} check`)
  return found
}

describe('findOwnEntry', () => {
  it('finds the 2026 redacted form (8 + 4) among others', () => {
    const others = Array.from({ length: 5 }, () => granular({ token: 'npm_Zzzz...9999' }))
    expect(own([...others, granular()])).toMatchObject({
      kind: 'found',
      entry: { label: 'the token "release"', bypass2fa: true }
    })
  })

  it('finds the 2017 schema by its sha512 key', () => {
    const key = crypto.createHash('sha512').update(TOKEN).digest('hex')
    expect(own([{ token: 'zzzzzz', key, readonly: true, cidr_whitelist: null }])).toMatchObject({
      kind: 'found',
      entry: { readonly: true, label: 'this token' }
    })
  })

  it('matches the legacy 6-character prefix for a classic (UUID) token only', () => {
    expect(own([{ token: CLASSIC.slice(0, 6), key: 'x', readonly: false }], CLASSIC)).toMatchObject(
      { kind: 'found', entry: { readonly: false } }
    )
    // The same prefix rule would make any npm_ token listed as "npm_Ab" ours: it must not.
    expect(own([{ token: TOKEN.slice(0, 6), key: 'x', readonly: true }])).toEqual({
      kind: 'not-found',
      listed: 1,
      complete: true
    })
  })

  it("finds Verdaccio's 5 + 5 redaction", () => {
    const entry = {
      user: 'ci',
      token: `${TOKEN.slice(0, 5)}...${TOKEN.slice(-5)}`,
      key: 'abc',
      cidr: ['127.0.0.1/32'],
      readonly: false
    }
    expect(own([entry])).toMatchObject({ kind: 'found', entry: { cidr: ['127.0.0.1/32'] } })
  })

  it('does not take a redacted form that shows as much as the token, or too little of it', () => {
    expect(own([granular({ token: `${TOKEN.slice(0, 20)}...${TOKEN.slice(20)}` })]).kind).toBe(
      'not-found'
    )
    expect(own([granular({ token: `${TOKEN.slice(0, 3)}...${TOKEN.slice(-2)}` })]).kind).toBe(
      'not-found'
    )
  })

  it('reports "not found", "unavailable" and disagreeing matches', () => {
    expect(own([granular({ token: 'npm_Other...zzzz' })])).toEqual({
      kind: 'not-found',
      listed: 1,
      complete: true
    })
    expect(findOwnEntry({ kind: 'unavailable', status: 403, reason: 'HTTP 403' }, TOKEN)).toEqual({
      kind: 'unavailable',
      status: 403,
      reason: 'HTTP 403'
    })
    expect(own([granular(), granular({ cidr: ['10.0.0.0/8'] })])).toEqual({
      kind: 'ambiguous',
      matches: 2
    })
    expect(own([granular(), granular()])).toMatchObject({ kind: 'found' })
  })

  it.each([[[null]], [[granular(), null]], [['a string']], [[42]], [[[granular()]]]])(
    'treats a list with non-object entries %j as unavailable',
    (entries) => {
      expect(own(entries)).toMatchObject({ kind: 'unavailable', status: 200 })
      const result = judge({ own: own(entries) })
      expect(check(result, 'details').status).toBe('skip')
      expect(result.failure).toBeUndefined()
    }
  )

  it('never labels an entry with its redacted token or an odd name', () => {
    expect(own([granular({ name: '<img src=x>' })])).toMatchObject({
      entry: { label: 'this token' }
    })
    expect(own([granular({ name: undefined })])).toMatchObject({ entry: { label: 'this token' } })
  })
})

describe('judgeToken', () => {
  const failed = (v: TokenVerdict) => v.failure?.code

  it('passes a healthy granular token, every check with a finding', () => {
    const result = judge()
    expect(result.failure).toBeUndefined()
    expect(result.user).toBe('ci')
    expect(result.checks.map((c) => [c.id, c.title, c.status, c.detail])).toEqual([
      ['alive', 'Registry login (whoami)', 'pass', 'logged in as ci'],
      ['details', 'Token details (token list)', 'pass', 'the token "release" is listed'],
      ['revoked', 'Revocation', 'pass', 'not revoked'],
      ['expiry', 'Expiry', 'pass', 'expires on 2027-01-31'],
      ['write', 'Write access', 'pass', 'read and write'],
      ['cidr', 'Allowed IP ranges', 'pass', 'any address'],
      ['scope', 'Packages covered', 'pass', 'my-pkg covered'],
      ['2fa', '2FA bypass', 'pass', 'on']
    ])
  })

  it.each([
    [{ readonly: true }, 'TOKEN_READONLY', 'read-only'],
    [{ permissions: [{ name: 'package', action: 'read' }] }, 'TOKEN_READONLY', 'no "write"'],
    [{ cidr: ['10.0.0.0/8'] }, 'TOKEN_CIDR', 'outside 10.0.0.0/8'],
    [{ cidr: ['not-a-cidr'] }, 'TOKEN_CIDR', 'outside not-a-cidr'],
    [{ revoked: '2026-11-01T00:00:00Z' }, 'TOKEN_INVALID', 'revoked'],
    [{ expiry: '2026-11-01T00:00:00Z' }, 'TOKEN_EXPIRED', 'expired on 2026-11-01'],
    [{ expires: '2026-11-01T00:00:00Z', expiry: undefined }, 'TOKEN_EXPIRED', 'expired on'],
    [{ scopes: [{ type: 'package', name: 'other-pkg' }] }, 'TOKEN_SCOPE', 'my-pkg not among'],
    [{ scopes: [{ type: 'org', name: 'my-pkg' }] }, 'TOKEN_SCOPE', 'my-pkg not among'],
    [{ bypass_2fa: false }, 'OTP_REQUIRED', 'one-time password']
  ])('%j fails with %s', (fields, code, detail) => {
    const result = verdict(granular(fields))
    expect(failed(result)).toBe(code)
    expect(result.failure?.status).toBe('fail')
    expect(result.failure?.detail).toContain(detail)
  })

  it('fails bypass 2FA off with OTP_REQUIRED, and passes it for a staged release', () => {
    const entry = granular({ bypass_2fa: false })
    expect(check(verdict(entry), '2fa')).toMatchObject({ status: 'fail', code: 'OTP_REQUIRED' })
    const staged = verdict(entry, { staged: true })
    expect(staged.failure).toBeUndefined()
    expect(check(staged, '2fa')).toMatchObject({
      status: 'pass',
      detail: 'not needed for a staged release'
    })
    expect(check(verdict(granular({ bypass_2fa: undefined })), '2fa')).toMatchObject({
      status: 'pass',
      detail: 'not listed'
    })
  })

  it('fits CIDR lists in both spellings', () => {
    expect(failed(verdict(granular({ cidr: ['203.0.113.0/24'] })))).toBeUndefined()
    const key = crypto.createHash('sha512').update(TOKEN).digest('hex')
    expect(failed(verdict({ key, cidr_whitelist: ['203.0.113.9/32'] }))).toBeUndefined()
    expect(failed(verdict({ key, cidr_whitelist: ['10.0.0.0/8'] }))).toBe('TOKEN_CIDR')
  })

  it('warns when the egress address is unknown, fails nothing', () => {
    const result = verdict(granular({ cidr: ['10.0.0.0/8'] }), {
      egress: { source: 'not detected' }
    })
    expect(result.failure).toBeUndefined()
    expect(check(result, 'cidr')).toMatchObject({ status: 'warn' })
    expect(check(result, 'cidr').hint).toContain('egress-ip')
  })

  describe('expiry within expiry-warning-days', () => {
    const soon = granular({ expiry: '2026-11-30T00:00:00Z' })

    it('warns on a publish, with the date and the days left', () => {
      const result = verdict(soon)
      expect(result.failure).toBeUndefined()
      expect(check(result, 'expiry')).toMatchObject({
        status: 'warn',
        code: 'TOKEN_EXPIRING',
        detail: 'expires on 2026-11-30, in 6 days'
      })
    })

    it('fails a health check with TOKEN_EXPIRING', () => {
      const result = verdict(soon, { healthCheck: true })
      expect(result.failure).toMatchObject({ id: 'expiry', status: 'fail', code: 'TOKEN_EXPIRING' })
    })

    it('follows the configured window', () => {
      expect(check(verdict(soon, { expiryWarningDays: 6 }), 'expiry').status).toBe('pass')
      expect(check(verdict(soon, { expiryWarningDays: 7 }), 'expiry').status).toBe('warn')
      expect(
        check(verdict(soon, { expiryWarningDays: 0, healthCheck: true }), 'expiry')
      ).toMatchObject({ status: 'pass', detail: 'expires on 2026-11-30' })
      const tomorrow = granular({ expiry: '2026-11-24T13:00:00Z' })
      expect(check(verdict(tomorrow), 'expiry').detail).toBe('expires on 2026-11-24, in 1 day')
    })

    it('passes an expiry it cannot read as "no expiry listed"', () => {
      expect(check(verdict(granular({ expiry: 'someday' })), 'expiry')).toMatchObject({
        status: 'pass',
        detail: 'no expiry listed'
      })
    })
  })

  it('accepts a scope-wide token for a scoped package, in every spelling', () => {
    for (const name of ['@acme', 'acme', '@acme/*']) {
      const entry = granular({ scopes: [{ type: 'package', name }] })
      expect(failed(verdict(entry, { packageNames: ['@acme/tool'] }))).toBeUndefined()
      expect(failed(verdict(entry, { packageNames: ['@other/tool'] }))).toBe('TOKEN_SCOPE')
    }
  })

  it('checks the scope of every package of a workspace and names the missing ones', () => {
    const entry = granular({
      scopes: [
        { type: 'package', name: '@acme' },
        { type: 'package', name: 'plain' }
      ]
    })
    const all = verdict(entry, { packageNames: ['@acme/a', '@acme/b', 'plain'] })
    expect(check(all, 'scope')).toMatchObject({ status: 'pass', detail: 'all 3 packages covered' })
    const some = verdict(entry, { packageNames: ['@acme/a', 'other', '@else/b', 'plain'] })
    expect(some.failure).toMatchObject({ id: 'scope', code: 'TOKEN_SCOPE' })
    expect(some.failure?.detail).toBe(
      "other, @else/b not among the token's packages (@acme, plain)"
    )
  })

  it('skips the list checks when the list is unavailable: a notice, not a warning', () => {
    const result = judge({ own: { kind: 'unavailable', status: 403, reason: 'HTTP 403' } })
    expect(result.failure).toBeUndefined()
    expect(result.checks).toHaveLength(8)
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['alive', 'pass'],
      ['details', 'skip'],
      ['revoked', 'skip'],
      ['expiry', 'skip'],
      ['write', 'skip'],
      ['cidr', 'skip'],
      ['scope', 'skip'],
      ['2fa', 'skip']
    ])
    expect(check(result, 'details').detail).toBe(
      'not shown to this token (HTTP 403): npmjs.com shows the token list to web sessions only; the login check decides'
    )
    expect(check(result, 'expiry').detail).toBe('no token details')
  })

  it('says why the details are missing on other registries and outcomes', () => {
    const details = (ownEntry: OwnEntry) =>
      check(judge({ own: ownEntry, host: 'npm.corp.example' }), 'details').detail
    expect(details({ kind: 'unavailable', status: 401, reason: 'HTTP 401' })).toBe(
      'not shown to this token (HTTP 401); the login check decides'
    )
    expect(details({ kind: 'unavailable', status: 500, reason: 'HTTP 500' })).toBe(
      'not available (HTTP 500); the login check decides'
    )
    expect(details({ kind: 'not-found', listed: 3, complete: false })).toContain(
      'not among the 3 listed (the list was cut at the page cap)'
    )
    expect(details({ kind: 'ambiguous', matches: 2 })).toContain('2 listed tokens match')
  })

  it.each([
    [{ status: 401, headers: {}, body: {} }, 'TOKEN_INVALID'],
    [{ status: 200, headers: {}, body: {} }, 'TOKEN_INVALID'],
    [{ status: 200, headers: {}, body: { username: '' } }, 'TOKEN_INVALID'],
    [{ status: 403, headers: {}, body: { error: 'unauthorized access' } }, 'TOKEN_INVALID'],
    [{ status: 401, headers: { 'www-authenticate': 'ipaddress' }, body: {} }, 'TOKEN_CIDR'],
    [{ status: 403, headers: {}, body: { code: 'EAUTHIP' } }, 'TOKEN_CIDR'],
    [{ status: 431, headers: {}, body: undefined }, 'TOKEN_MALFORMED']
  ])('whoami %j fails with %s', (whoami, code) => {
    const result = judge({ whoami, own: { kind: 'unavailable', reason: 'x' } })
    expect(result.failure).toMatchObject({ id: 'alive', code })
    expect(result.user).toBeUndefined()
  })

  it('warns on an unexpected whoami status and lets the upload tell', () => {
    const result = judge({ whoami: { status: 502, headers: {}, body: 'bad gateway' } })
    expect(check(result, 'alive')).toMatchObject({ status: 'warn' })
    expect(result.failure).toBeUndefined()
  })

  it('answers a bare whoami 403 with revocation and IP ranges, not "create a new token"', () => {
    const result = judge({
      whoami: { status: 403, headers: {}, body: { error: 'forbidden' } },
      own: { kind: 'unavailable', reason: 'x' }
    })
    const failure = result.failure as Check
    expect(failure.code).toBe('TOKEN_INVALID')
    expect(failure.hint).toMatch(/revoked/)
    expect(failure.hint).toMatch(/IP ranges/)
    expect(failure.hint).not.toMatch(/create a new/i)
    expect(failure.detail).not.toMatch(/create a new/i)
  })

  it('prefers the list-derived reason over the bare whoami status', () => {
    const result = verdict(granular({ revoked: '2026-11-01T00:00:00Z' }), {
      whoami: { status: 401, headers: {}, body: {} }
    })
    expect(result.failure?.id).toBe('revoked')
  })

  it('writes findings, not contradictions: no detail starts with "Not", no title asks', () => {
    const results = [
      judge(),
      verdict(granular({ readonly: true, revoked: 'x', expiry: '2026-01-02T00:00:00Z' })),
      verdict(granular({ cidr: ['10.0.0.0/8'], bypass_2fa: false, scopes: [{ name: 'x' }] })),
      verdict(granular({ expiry: '2026-11-30T00:00:00Z', cidr: ['10.0.0.0/8'] }), {
        egress: { source: 'unknown' }
      }),
      judge({ own: { kind: 'unavailable', status: 403, reason: 'HTTP 403' } }),
      judge({ whoami: { status: 200, headers: {}, body: {} }, own: own([]) }),
      judge({ whoami: { status: 403, headers: {}, body: {} } }),
      judge({ whoami: { status: 401, headers: {}, body: {} } })
    ]
    for (const result of results) {
      for (const c of result.checks) {
        expect(c.detail).not.toMatch(/^Not /)
        expect(c.detail).not.toMatch(/^[A-Z][a-z]+ [a-z]+: /)
        expect(c.title).not.toMatch(/\?$/)
        expect(c.title).toMatch(/^[A-Z0-9]/)
      }
    }
    expect(check(results[1], 'expiry').detail).toBe('expired on 2026-01-02')
  })

  it('never puts the token, or the redacted form the list shows, in a check', () => {
    for (const result of [
      judge(),
      verdict(granular({ cidr: ['10.0.0.0/8'], readonly: true, bypass_2fa: false })),
      verdict(granular({ scopes: [{ name: 'other' }] }))
    ]) {
      const text = JSON.stringify(result.checks)
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(TOKEN.slice(0, 8))
      expect(text).not.toContain(TOKEN.slice(-4))
    }
  })

  it('checks a 1,000-entry list (timing is in the benchmark, not asserted here)', () => {
    const entries = Array.from({ length: 999 }, (_, i) =>
      granular({ token: `npm_${String(i).padStart(4, '0')}...zzzz` })
    )
    entries.splice(500, 0, granular())
    expect(judge({ own: own(entries) }).failure).toBeUndefined()
  })
})

describe('addressInRange', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1/32', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['10.9.8.7', '10.0.0.0/8', true],
    ['11.0.0.1', '10.0.0.0/8', false],
    ['::ffff:10.1.1.1', '10.0.0.0/8', true],
    ['10.1.1.1', '::ffff:10.0.0.0/104', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['10.1.1.1', '2001:db8::/32', false],
    ['10.1.1.1', ' 10.0.0.0/8 ', true],
    ['10.1.1.1', '10.0.0.0/33', false],
    ['10.1.1.1', 'garbage', false],
    ['garbage', '10.0.0.0/8', false]
  ])('%s in %s → %s', (address, range, expected) => {
    expect(addressInRange(address, range)).toBe(expected)
  })
})
