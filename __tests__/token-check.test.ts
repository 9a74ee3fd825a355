import { describe, expect, it } from '@jest/globals'
import crypto from 'node:crypto'
import type { HttpResult } from '../src/registry.js'
import {
  addressInRange,
  findOwnEntry,
  judgeToken,
  type OwnEntry,
  type TokenVerdictInput
} from '../src/token-check.js'

const TOKEN = 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'
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

function own(entries: unknown[]): OwnEntry {
  return findOwnEntry({ kind: 'entries', entries, pages: 1, complete: true }, TOKEN)
}

function verdict(entry: Record<string, unknown>, extra: Partial<TokenVerdictInput> = {}) {
  return judgeToken({
    whoami: whoamiOk,
    own: own([entry]),
    egress: { address: '203.0.113.9', source: 'test' },
    packageName: 'my-pkg',
    now: NOW,
    ...extra
  })
}

describe('findOwnEntry', () => {
  it('finds the 2026 redacted form (8 + 4) among others', () => {
    const others = Array.from({ length: 5 }, () => granular({ token: 'npm_Zzzz...9999' }))
    expect(own([...others, granular()])).toMatchObject({ kind: 'found' })
  })

  it('finds the 2017 schema by sha512 key or by its 6-character prefix', () => {
    const key = crypto.createHash('sha512').update(TOKEN).digest('hex')
    expect(own([{ token: 'zzzzzz', key, readonly: true, cidr_whitelist: null }])).toMatchObject({
      kind: 'found',
      entry: { readonly: true }
    })
    expect(own([{ token: TOKEN.slice(0, 6), key: 'x', readonly: false }])).toMatchObject({
      kind: 'found'
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

  it('reports "not found", "unavailable" and disagreeing matches', () => {
    expect(own([granular({ token: 'npm_Other...zzzz' })])).toEqual({
      kind: 'not-found',
      listed: 1,
      complete: true
    })
    expect(findOwnEntry({ kind: 'unavailable', status: 403, reason: 'HTTP 403' }, TOKEN)).toEqual({
      kind: 'unavailable',
      reason: 'HTTP 403'
    })
    expect(own([granular(), granular({ cidr: ['10.0.0.0/8'] })])).toEqual({
      kind: 'ambiguous',
      matches: 2
    })
    expect(own([granular(), granular()])).toMatchObject({ kind: 'found' })
  })
})

describe('judgeToken', () => {
  const failed = (v: ReturnType<typeof judgeToken>) => v.failure?.code

  it('passes a healthy granular token', () => {
    const result = verdict(granular())
    expect(result.failure).toBeUndefined()
    expect(result.user).toBe('ci')
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['alive', 'pass'],
      ['details', 'pass'],
      ['revoked', 'pass'],
      ['expiry', 'pass'],
      ['write', 'pass'],
      ['cidr', 'pass'],
      ['scope', 'pass'],
      ['2fa', 'pass']
    ])
  })

  it.each([
    [{ readonly: true }, 'TOKEN_READONLY'],
    [{ permissions: [{ name: 'package', action: 'read' }] }, 'TOKEN_READONLY'],
    [{ cidr: ['10.0.0.0/8'] }, 'TOKEN_CIDR'],
    [{ cidr: ['not-a-cidr'] }, 'TOKEN_CIDR'],
    [{ revoked: '2026-11-01T00:00:00Z' }, 'TOKEN_INVALID'],
    [{ expiry: '2026-11-01T00:00:00Z' }, 'TOKEN_EXPIRED'],
    [{ scopes: [{ type: 'package', name: 'other-pkg' }] }, 'TOKEN_SCOPE'],
    [{ scopes: [{ type: 'org', name: 'my-pkg' }] }, 'TOKEN_SCOPE']
  ])('%j fails with %s', (fields, code) => {
    expect(failed(verdict(granular(fields)))).toBe(code)
  })

  it('fits CIDR lists in both spellings', () => {
    expect(failed(verdict(granular({ cidr: ['203.0.113.0/24'] })))).toBeUndefined()
    expect(
      failed(verdict({ token: TOKEN.slice(0, 6), cidr_whitelist: ['203.0.113.9/32'] }))
    ).toBeUndefined()
  })

  it('warns when the egress address is unknown, fails nothing', () => {
    const result = verdict(granular({ cidr: ['10.0.0.0/8'] }), {
      egress: { source: 'not detected' }
    })
    expect(result.failure).toBeUndefined()
    expect(result.checks.find((c) => c.id === 'cidr')?.status).toBe('warn')
  })

  it('warns within 14 days of expiry and when bypass 2FA is off', () => {
    const result = verdict(granular({ expiry: '2026-11-30T00:00:00Z', bypass_2fa: false }))
    expect(result.failure).toBeUndefined()
    expect(result.checks.find((c) => c.id === 'expiry')).toMatchObject({ status: 'warn' })
    expect(result.checks.find((c) => c.id === 'expiry')?.detail).toContain('2026-11-30')
    expect(result.checks.find((c) => c.id === '2fa')).toMatchObject({ status: 'warn' })
  })

  it('accepts a scope-wide token for a scoped package', () => {
    const entry = granular({ scopes: [{ type: 'package', name: '@acme' }] })
    expect(failed(verdict(entry, { packageName: '@acme/tool' }))).toBeUndefined()
    expect(failed(verdict(entry, { packageName: '@other/tool' }))).toBe('TOKEN_SCOPE')
  })

  it('lets whoami decide when the list is unavailable, with a warning', () => {
    const result = judgeToken({
      whoami: whoamiOk,
      own: { kind: 'unavailable', reason: 'HTTP 403' },
      packageName: 'my-pkg',
      now: NOW
    })
    expect(result.failure).toBeUndefined()
    expect(result.checks).toHaveLength(2)
    expect(result.checks[1]).toMatchObject({ id: 'details', status: 'warn' })
    expect(result.checks[1].detail).toContain('details unavailable')
  })

  it.each([
    [{ status: 401, headers: {}, body: {} }, 'TOKEN_INVALID'],
    [{ status: 200, headers: {}, body: {} }, 'TOKEN_INVALID'],
    [{ status: 403, headers: {}, body: { error: 'unauthorized access' } }, 'TOKEN_INVALID'],
    [{ status: 401, headers: { 'www-authenticate': 'ipaddress' }, body: {} }, 'TOKEN_CIDR']
  ])('whoami %j fails with %s', (whoami, code) => {
    const result = judgeToken({
      whoami,
      own: { kind: 'unavailable', reason: 'x' },
      packageName: 'p',
      now: NOW
    })
    expect(result.failure?.code).toBe(code)
  })

  it('prefers the list-derived reason over the bare whoami status', () => {
    const result = verdict(granular({ revoked: '2026-11-01T00:00:00Z' }), {
      whoami: { status: 401, headers: {}, body: {} }
    })
    expect(result.failure?.id).toBe('revoked')
  })

  it('never puts the token in a check', () => {
    const result = verdict(granular({ cidr: ['10.0.0.0/8'] }))
    expect(JSON.stringify(result)).not.toContain(TOKEN)
  })

  it('checks a 1,000-entry list (timing is in the benchmark, not asserted here)', () => {
    const entries = Array.from({ length: 999 }, (_, i) =>
      granular({ token: `npm_${String(i).padStart(4, '0')}...zzzz` })
    )
    entries.splice(500, 0, granular())
    expect(
      judgeToken({ whoami: whoamiOk, own: own(entries), packageName: 'my-pkg', now: NOW }).failure
    ).toBeUndefined()
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
    ['10.1.1.1', 'garbage', false]
  ])('%s in %s → %s', (address, range, expected) => {
    expect(addressInRange(address, range)).toBe(expected)
  })
})
