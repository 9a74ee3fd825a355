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
  'alive' | 'details' | 'revoked' | 'expiry' | 'write' | 'cidr' | 'scope' | '2fa'
/** `skip`: not checked (the registry does not show the token list to this token, say). */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip'

export interface Check {
  id: CheckId
  /** What is checked, as a noun: "Expiry", "Write access". */
  title: string
  status: CheckStatus
  /** The finding, as a clause: "expired on 2026-01-02", "read-only". */
  detail: string
  code?: ErrorCode
  /** What to do about a failure or a warning, when it differs from the code's default. */
  hint?: string
}

export type OwnEntry =
  | { kind: 'found'; entry: TokenEntry }
  | { kind: 'unavailable'; status?: number; reason: string }
  | { kind: 'not-found'; listed: number; complete: boolean }
  | { kind: 'ambiguous'; matches: number }

export interface TokenVerdictInput {
  whoami: HttpResult
  own: OwnEntry
  /** The address the registry sees; undefined when it could not be learned. */
  egress?: { address?: string; source: string }
  /** Every package this run publishes. */
  packageNames: string[]
  now: Date
  expiryWarningDays: number
  /** `validate-only`: an expiry within the warning window fails (TOKEN_EXPIRING). */
  healthCheck: boolean
  /** `stage: true`: a staged release needs no 2FA bypass. */
  staged: boolean
  /** The registry's host, for messages ("registry.npmjs.org shows the list to web sessions only"). */
  host: string
}

export interface TokenVerdict {
  checks: Check[]
  user?: string
  /** The first definite failure, most specific first. */
  failure?: Check
}

const DAY_MS = 24 * 60 * 60 * 1000
const LIST_CHECKS: [CheckId, string][] = [
  ['revoked', 'Revocation'],
  ['expiry', 'Expiry'],
  ['write', 'Write access'],
  ['cidr', 'Allowed IP ranges'],
  ['scope', 'Packages covered'],
  ['2fa', '2FA bypass']
]

/** Pure: the token's checks from what the registry said, the runner's address, the packages and the clock. */
export function judgeToken(input: TokenVerdictInput): TokenVerdict {
  const alive = aliveCheck(input.whoami)
  const checks: Check[] = [alive.check, detailsCheck(input.own, input.host)]
  if (input.own.kind === 'found') {
    const entry = input.own.entry
    checks.push(
      revokedCheck(entry),
      expiryCheck(entry, input),
      writeCheck(entry),
      cidrCheck(entry, input.egress),
      scopeCheck(entry, input.packageNames),
      twoFactorCheck(entry, input.staged)
    )
  } else {
    for (const [id, title] of LIST_CHECKS) {
      checks.push({ id, title, status: 'skip', detail: 'no token details' })
    }
  }
  const failures = checks.filter((check) => check.status === 'fail')
  // A list-derived reason (revoked, expired, read-only, CIDR) says more than whoami's bare status.
  const failure = failures.find((check) => check.id !== 'alive') ?? failures[0]
  return { checks, user: alive.user, failure }
}

export function aliveCheck(whoami: HttpResult): { check: Check; user?: string } {
  const title = 'Registry login (whoami)'
  const body = whoami.body as { username?: unknown } | undefined
  const username = typeof body?.username === 'string' && body.username ? body.username : undefined
  if (whoami.status === 200 && username) {
    return {
      user: username,
      check: { id: 'alive', title, status: 'pass', detail: `logged in as ${username}` }
    }
  }
  const ipBlocked =
    /ipaddress/i.test(whoami.headers['www-authenticate'] ?? '') ||
    /\b(ip address|EAUTHIP|cidr)\b/i.test(JSON.stringify(whoami.body ?? ''))
  const fail = (code: ErrorCode, detail: string, hint?: string): { check: Check } => ({
    check: { id: 'alive', title, status: 'fail', code, detail, hint }
  })
  if (ipBlocked) {
    return fail('TOKEN_CIDR', `refused from this runner's IP address (HTTP ${whoami.status})`)
  }
  switch (whoami.status) {
    case 200:
      return fail(
        'TOKEN_INVALID',
        'not logged in: the registry treats the token as anonymous (unknown, revoked or not a token)'
      )
    case 401:
      return fail('TOKEN_INVALID', 'refused (HTTP 401): the token is unknown, expired or revoked')
    case 403:
      return fail(
        'TOKEN_INVALID',
        "refused (HTTP 403; a revoked token, or one not allowed from this runner's IP address)",
        "Check the token on the registry: a revoked token must be replaced (update the secret); if it has allowed IP ranges, make sure they include this runner's address (or set `egress-ip` to check it)."
      )
    case 431:
      return fail(
        'TOKEN_MALFORMED',
        'refused (HTTP 431): the request headers are too large, so the token is far longer than a registry token'
      )
    default:
      return {
        check: {
          id: 'alive',
          title,
          status: 'warn',
          detail: `unexpected HTTP ${whoami.status} from /-/whoami; the upload will tell`
        }
      }
  }
}

function detailsCheck(own: OwnEntry, host: string): Check {
  const title = 'Token details (token list)'
  const skip = (detail: string): Check => ({ id: 'details', title, status: 'skip', detail })
  switch (own.kind) {
    case 'found':
      return { id: 'details', title, status: 'pass', detail: `${own.entry.label} is listed` }
    case 'unavailable':
      return skip(
        own.status === 401 || own.status === 403
          ? `not shown to this token (HTTP ${own.status})${host === 'registry.npmjs.org' ? ': npmjs.com shows the token list to web sessions only' : ''}; the login check decides`
          : `not available (${own.reason}); the login check decides`
      )
    case 'not-found':
      return skip(
        `this token is not among the ${own.listed} listed${own.complete ? '' : ' (the list was cut at the page cap)'}; the login check decides`
      )
    case 'ambiguous':
      return skip(
        `${own.matches} listed tokens match this one and disagree; the login check decides`
      )
  }
}

function revokedCheck(entry: TokenEntry): Check {
  const title = 'Revocation'
  return entry.revoked
    ? { id: 'revoked', title, status: 'fail', code: 'TOKEN_INVALID', detail: 'revoked' }
    : { id: 'revoked', title, status: 'pass', detail: 'not revoked' }
}

function expiryCheck(entry: TokenEntry, input: TokenVerdictInput): Check {
  const title = 'Expiry'
  const expiry = entry.expiry ? new Date(entry.expiry) : undefined
  if (!expiry || Number.isNaN(expiry.getTime())) {
    return { id: 'expiry', title, status: 'pass', detail: 'no expiry listed' }
  }
  const date = expiry.toISOString().slice(0, 10)
  const left = expiry.getTime() - input.now.getTime()
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
  if (days < input.expiryWarningDays) {
    const detail = `expires on ${date}, in ${days} day${days === 1 ? '' : 's'}`
    return input.healthCheck
      ? { id: 'expiry', title, status: 'fail', code: 'TOKEN_EXPIRING', detail }
      : {
          id: 'expiry',
          title,
          status: 'warn',
          code: 'TOKEN_EXPIRING',
          detail,
          hint: 'Renew the token soon and update the secret.'
        }
  }
  return { id: 'expiry', title, status: 'pass', detail: `expires on ${date}` }
}

function writeCheck(entry: TokenEntry): Check {
  const title = 'Write access'
  const fail = (detail: string): Check => ({
    id: 'write',
    title,
    status: 'fail',
    code: 'TOKEN_READONLY',
    detail
  })
  if (entry.readonly === true) return fail('read-only')
  if (entry.permissions && !entry.permissions.some((p) => p.action === 'write')) {
    return fail('no "write" permission')
  }
  return { id: 'write', title, status: 'pass', detail: 'read and write' }
}

function cidrCheck(entry: TokenEntry, egress: TokenVerdictInput['egress']): Check {
  const title = 'Allowed IP ranges'
  const ranges = entry.cidr ?? []
  if (ranges.length === 0) return { id: 'cidr', title, status: 'pass', detail: 'any address' }
  if (!egress?.address) {
    return {
      id: 'cidr',
      title,
      status: 'warn',
      detail: `limited to ${ranges.join(', ')}; this runner's address is unknown`,
      hint: "Set `egress-ip` to the runner's public address to check it."
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
        detail: `this runner (${egress.address}, from the ${egress.source}) is outside ${ranges.join(', ')}`
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

/** Does a token `scopes` entry cover the package (the name, or its scope in any spelling)? */
function covers(entryName: string, packageName: string): boolean {
  if (entryName === packageName) return true
  const scope = packageName.startsWith('@') ? packageName.split('/')[0] : undefined
  return scope !== undefined && [scope, scope.slice(1), `${scope}/*`].includes(entryName)
}

function scopeCheck(entry: TokenEntry, packageNames: string[]): Check {
  const title = 'Packages covered'
  if (!entry.scopes || entry.scopes.length === 0) {
    return { id: 'scope', title, status: 'pass', detail: 'not limited to packages' }
  }
  // Org access does not grant publishing (npm's docs).
  const names = entry.scopes
    .filter((scope) => scope.type !== 'org' && scope.name)
    .map((scope) => scope.name as string)
  const missing = packageNames.filter((pkg) => !names.some((name) => covers(name, pkg)))
  const listed = entry.scopes.map((s) => s.name ?? '?').join(', ')
  if (missing.length === 0) {
    const what = packageNames.length === 1 ? packageNames[0] : `all ${packageNames.length} packages`
    return { id: 'scope', title, status: 'pass', detail: `${what} covered` }
  }
  return {
    id: 'scope',
    title,
    status: 'fail',
    code: 'TOKEN_SCOPE',
    detail: `${missing.join(', ')} not among the token's packages (${listed})`
  }
}

function twoFactorCheck(entry: TokenEntry, staged: boolean): Check {
  const title = '2FA bypass'
  if (staged) return { id: '2fa', title, status: 'pass', detail: 'not needed for a staged release' }
  if (entry.bypass2fa === false) {
    return {
      id: '2fa',
      title,
      status: 'fail',
      code: 'OTP_REQUIRED',
      detail: 'off, so a direct publish would ask for a one-time password',
      hint: 'Create a granular token with "Bypass 2FA" ticked, or publish with `stage: true` or trusted publishing.'
    }
  }
  return { id: '2fa', title, status: 'pass', detail: entry.bypass2fa ? 'on' : 'not listed' }
}

/**
 * Finds this token's own entry: by `key === sha512hex(token)` (2017 docs), by the redacted form
 * `prefix...suffix` (npmjs 8+4, Verdaccio 5+5), or, for a classic (UUID) token only, by the legacy
 * 6-character prefix. A list with entries that are not objects is unreadable, not ours.
 */
export function findOwnEntry(list: TokenListResult, token: string): OwnEntry {
  if (list.kind === 'unavailable') {
    return { kind: 'unavailable', status: list.status, reason: list.reason }
  }
  if (
    list.entries.some(
      (entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry)
    )
  ) {
    return {
      kind: 'unavailable',
      status: 200,
      reason: 'the token list holds entries that are not objects'
    }
  }
  const key = crypto.createHash('sha512').update(token).digest('hex')
  const classic = CLASSIC_TOKEN.test(token)
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
    return classic && shown.length === 6 && token.startsWith(shown)
  })
  if (matches.length === 0) {
    return { kind: 'not-found', listed: list.entries.length, complete: list.complete }
  }
  const entries = matches.map(normaliseEntry)
  const distinct = new Set(entries.map((entry) => JSON.stringify({ ...entry, label: undefined })))
  if (distinct.size > 1) return { kind: 'ambiguous', matches: matches.length }
  return { kind: 'found', entry: entries[0] }
}

/** A classic npm token: a UUID (all of them revoked on 2025-12-09, but other registries mint them). */
const CLASSIC_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function normaliseEntry(raw: unknown): TokenEntry {
  const entry = (raw ?? {}) as Record<string, unknown>
  const strings = (value: unknown): string[] | undefined =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined
  const objects = <T>(value: unknown): T[] | undefined =>
    Array.isArray(value)
      ? (value.filter((v) => typeof v === 'object' && v !== null) as T[])
      : undefined
  // Only the entry's name: its redacted `token` still shows 8-12 characters of the secret.
  const name =
    typeof entry['name'] === 'string' && /^[\w .@/-]{1,64}$/.test(entry['name'])
      ? entry['name']
      : undefined
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
