import crypto from 'node:crypto'
import ipaddr from 'ipaddr.js'
import type { ErrorCode } from './errors.js'
import type { HttpResult, TokenListResult } from './registry.js'

/** One token-list entry, read from either schema (2017 npm-profile, 2026 granular, Verdaccio). */
export interface TokenEntry {
  label: string
  readonly?: boolean
  cidr?: string[]
  expiry?: string
  revoked?: boolean
  permissions?: { name?: string; action?: string }[]
  scopes?: { type?: string; name?: string }[]
  bypass2fa?: boolean
}

export type CheckId =
  'alive' | 'details' | 'write' | 'cidr' | 'revoked' | 'expiry' | 'scope' | '2fa'
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip'

export interface Check {
  id: CheckId
  title: string
  status: CheckStatus
  detail: string
  code?: ErrorCode
}

export type OwnEntry =
  | { kind: 'found'; entry: TokenEntry }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'not-found'; listed: number; complete: boolean }
  | { kind: 'ambiguous'; matches: number }

export interface TokenVerdictInput {
  whoami: HttpResult
  own: OwnEntry
  /** The address the registry sees; undefined when it could not be learned. */
  egress?: { address?: string; source: string }
  packageName: string
  now: Date
}

export interface TokenVerdict {
  checks: Check[]
  user?: string
  /** The first definite failure, most specific first. */
  failure?: Check
}

const EXPIRY_WARNING_DAYS = 14
const DAY_MS = 24 * 60 * 60 * 1000

/** Pure: the token's checks from what the registry said, the runner's address, the package and the clock. */
export function judgeToken(input: TokenVerdictInput): TokenVerdict {
  const alive = aliveCheck(input.whoami)
  const checks: Check[] = [alive.check, detailsCheck(input.own)]
  if (input.own.kind === 'found') {
    const entry = input.own.entry
    checks.push(
      revokedCheck(entry),
      expiryCheck(entry, input.now),
      writeCheck(entry),
      cidrCheck(entry, input.egress),
      scopeCheck(entry, input.packageName),
      twoFactorCheck(entry)
    )
  }
  const failures = checks.filter((check) => check.status === 'fail')
  // A list-derived reason (revoked, expired, read-only, CIDR) says more than whoami's bare status.
  const failure = failures.find((check) => check.id !== 'alive') ?? failures[0]
  return { checks, user: alive.user, failure }
}

export function aliveCheck(whoami: HttpResult): { check: Check; user?: string } {
  const title = 'Token accepted (whoami)'
  const body = whoami.body as { username?: unknown } | undefined
  const username = typeof body?.username === 'string' && body.username ? body.username : undefined
  if (whoami.status === 200 && username) {
    return {
      user: username,
      check: { id: 'alive', title, status: 'pass', detail: `user ${username}` }
    }
  }
  const ipBlocked =
    /ipaddress/i.test(whoami.headers['www-authenticate'] ?? '') ||
    /\b(ip address|EAUTHIP|cidr)\b/i.test(JSON.stringify(whoami.body ?? ''))
  if (ipBlocked) {
    return {
      check: {
        id: 'alive',
        title,
        status: 'fail',
        code: 'TOKEN_CIDR',
        detail: `HTTP ${whoami.status}: the registry refuses the token from this IP address`
      }
    }
  }
  const detail =
    whoami.status === 200
      ? 'the registry treats the token as anonymous: it is unknown, revoked or garbage'
      : whoami.status === 401
        ? 'HTTP 401: the token is unknown, expired or revoked'
        : whoami.status === 403
          ? 'HTTP 403: the registry refuses this token (revoked, or its allowed IP ranges exclude this runner)'
          : `HTTP ${whoami.status} from /-/whoami`
  const definite = whoami.status === 200 || whoami.status === 401 || whoami.status === 403
  return {
    check: {
      id: 'alive',
      title,
      status: definite ? 'fail' : 'warn',
      code: definite ? 'TOKEN_INVALID' : undefined,
      detail
    }
  }
}

function detailsCheck(own: OwnEntry): Check {
  const title = 'Token details (token list)'
  switch (own.kind) {
    case 'found':
      return {
        id: 'details',
        title,
        status: 'pass',
        detail: `found ${own.entry.label} in the list`
      }
    case 'unavailable':
      return {
        id: 'details',
        title,
        status: 'warn',
        detail: `details unavailable (${own.reason}); whoami decides`
      }
    case 'not-found':
      return {
        id: 'details',
        title,
        status: 'warn',
        detail: `this token is not among the ${own.listed} listed${own.complete ? '' : ' (the list was cut at the page cap)'}; details unavailable, whoami decides`
      }
    case 'ambiguous':
      return {
        id: 'details',
        title,
        status: 'warn',
        detail: `${own.matches} listed tokens match this one and disagree; details unavailable, whoami decides`
      }
  }
}

function revokedCheck(entry: TokenEntry): Check {
  const title = 'Not revoked'
  return entry.revoked
    ? {
        id: 'revoked',
        title,
        status: 'fail',
        code: 'TOKEN_INVALID',
        detail: 'the token is revoked'
      }
    : { id: 'revoked', title, status: 'pass', detail: 'active' }
}

function expiryCheck(entry: TokenEntry, now: Date): Check {
  const title = 'Not expired'
  const expiry = entry.expiry ? new Date(entry.expiry) : undefined
  if (!expiry || Number.isNaN(expiry.getTime())) {
    return { id: 'expiry', title, status: 'pass', detail: 'no expiry listed' }
  }
  const date = expiry.toISOString().slice(0, 10)
  const left = expiry.getTime() - now.getTime()
  if (left <= 0) {
    return {
      id: 'expiry',
      title,
      status: 'fail',
      code: 'TOKEN_EXPIRED',
      detail: `expired on ${date}`
    }
  }
  const days = Math.floor(left / DAY_MS)
  if (days < EXPIRY_WARNING_DAYS) {
    return {
      id: 'expiry',
      title,
      status: 'warn',
      detail: `expires on ${date} (in ${days} day${days === 1 ? '' : 's'}): renew the token soon`
    }
  }
  return { id: 'expiry', title, status: 'pass', detail: `expires on ${date}` }
}

function writeCheck(entry: TokenEntry): Check {
  const title = 'Can write'
  const fail = (detail: string): Check => ({
    id: 'write',
    title,
    status: 'fail',
    code: 'TOKEN_READONLY',
    detail
  })
  if (entry.readonly === true) return fail('the token is read-only')
  if (entry.permissions && !entry.permissions.some((p) => p.action === 'write')) {
    return fail('the token has no "write" permission')
  }
  return { id: 'write', title, status: 'pass', detail: 'read and write' }
}

function cidrCheck(entry: TokenEntry, egress: TokenVerdictInput['egress']): Check {
  const title = 'Allowed IP ranges fit this runner'
  const ranges = entry.cidr ?? []
  if (ranges.length === 0) return { id: 'cidr', title, status: 'pass', detail: 'no IP restriction' }
  if (!egress?.address) {
    return {
      id: 'cidr',
      title,
      status: 'warn',
      detail: `allowed ${ranges.join(', ')}; this runner's address is unknown (set \`egress-ip\`)`
    }
  }
  const fits = ranges.some((range) => addressInRange(egress.address as string, range))
  return fits
    ? { id: 'cidr', title, status: 'pass', detail: `${egress.address} is in ${ranges.join(', ')}` }
    : {
        id: 'cidr',
        title,
        status: 'fail',
        code: 'TOKEN_CIDR',
        detail: `${egress.address} (${egress.source}) is not in ${ranges.join(', ')}`
      }
}

/** CIDR (or bare address) membership, IPv4 and IPv6; IPv4-mapped IPv6 counts as IPv4. */
export function addressInRange(address: string, range: string): boolean {
  try {
    const ip = ipaddr.process(address)
    const [base, bits] = range.includes('/')
      ? ipaddr.parseCIDR(range.trim())
      : ((): [ipaddr.IPv4 | ipaddr.IPv6, number] => {
          const single = ipaddr.process(range.trim())
          return [single, single.kind() === 'ipv4' ? 32 : 128]
        })()
    const network = base.kind() === 'ipv6' ? ipaddr.process(base.toString()) : base
    const prefix = network.kind() !== base.kind() ? bits - 96 : bits
    return ip.kind() === network.kind() && ip.match(network, prefix)
  } catch {
    return false // an unparseable range admits nobody, as the registry treats it
  }
}

function scopeCheck(entry: TokenEntry, packageName: string): Check {
  const title = 'Covers this package'
  const scopes = (entry.scopes ?? []).filter((scope) => scope.type !== 'org')
  if (!entry.scopes || entry.scopes.length === 0) {
    return { id: 'scope', title, status: 'pass', detail: 'not limited to packages' }
  }
  const scope = packageName.startsWith('@') ? packageName.split('/')[0] : undefined
  const covered = scopes.some(({ name }) => {
    if (!name) return false
    if (name === packageName) return true
    return scope !== undefined && [scope, scope.slice(1), `${scope}/*`].includes(name)
  })
  const listed = entry.scopes.map((s) => s.name ?? '?').join(', ')
  return covered
    ? { id: 'scope', title, status: 'pass', detail: `${packageName} is covered` }
    : {
        id: 'scope',
        title,
        status: 'fail',
        code: 'TOKEN_SCOPE',
        detail: `${packageName} is not in the token's list (${listed})`
      }
}

function twoFactorCheck(entry: TokenEntry): Check {
  const title = 'Bypasses 2FA for direct publish'
  if (entry.bypass2fa === false) {
    return {
      id: '2fa',
      title,
      status: 'warn',
      detail: 'bypass 2FA is off: a direct publish will ask for a one-time password (OTP_REQUIRED)'
    }
  }
  return {
    id: '2fa',
    title,
    status: 'pass',
    detail: entry.bypass2fa ? 'on' : 'not listed'
  }
}

/**
 * Finds this token's own entry: by `key === sha512hex(token)` (2017 docs), by the redacted form
 * `prefix...suffix` (npmjs 8+4, Verdaccio 5+5), or by the legacy 6-character prefix.
 */
export function findOwnEntry(list: TokenListResult, token: string): OwnEntry {
  if (list.kind === 'unavailable') return { kind: 'unavailable', reason: list.reason }
  const key = crypto.createHash('sha512').update(token).digest('hex')
  const matches = list.entries.filter((raw) => {
    const entry = raw as { key?: unknown; token?: unknown }
    if (entry.key === key) return true
    if (typeof entry.token !== 'string') return false
    const shown = entry.token
    const cut = shown.indexOf('...')
    if (cut >= 0) {
      const prefix = shown.slice(0, cut)
      const suffix = shown.slice(cut + 3)
      return (
        prefix.length + suffix.length >= 6 &&
        token.length > prefix.length + suffix.length &&
        token.startsWith(prefix) &&
        token.endsWith(suffix)
      )
    }
    return shown.length >= 6 && token.startsWith(shown)
  })
  if (matches.length === 0) {
    return { kind: 'not-found', listed: list.entries.length, complete: list.complete }
  }
  const entries = matches.map(normaliseEntry)
  const distinct = new Set(entries.map((entry) => JSON.stringify({ ...entry, label: undefined })))
  if (distinct.size > 1) return { kind: 'ambiguous', matches: matches.length }
  return { kind: 'found', entry: entries[0] }
}

export function normaliseEntry(raw: unknown): TokenEntry {
  const entry = (raw ?? {}) as Record<string, unknown>
  const strings = (value: unknown): string[] | undefined =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined
  const objects = <T>(value: unknown): T[] | undefined =>
    Array.isArray(value)
      ? (value.filter((v) => typeof v === 'object' && v !== null) as T[])
      : undefined
  // Only the entry's name: its redacted `token` still shows 8-12 characters of the secret.
  const name = typeof entry['name'] === 'string' && entry['name'] ? entry['name'] : undefined
  const expiry = entry['expiry'] ?? entry['expires']
  return {
    label: name ? `the token "${name}"` : 'this token',
    readonly: typeof entry['readonly'] === 'boolean' ? entry['readonly'] : undefined,
    cidr: strings(entry['cidr']) ?? strings(entry['cidr_whitelist']),
    expiry: typeof expiry === 'string' ? expiry : undefined,
    revoked:
      entry['revoked'] !== undefined && entry['revoked'] !== null && entry['revoked'] !== false,
    permissions: objects(entry['permissions']),
    scopes: objects(entry['scopes']),
    bypass2fa: typeof entry['bypass_2fa'] === 'boolean' ? entry['bypass_2fa'] : undefined
  }
}
