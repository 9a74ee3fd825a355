import * as core from '@actions/core'
import fs from 'node:fs'
import path from 'node:path'
import ipaddr from 'ipaddr.js'
import validRange from 'semver/ranges/valid.js'
import { PublishError, combine } from './errors.js'
import { tempRoot } from './scrub.js'
import { maskSecret } from './secrets.js'

/** Everything the action was asked to do, read and validated once. */
export interface Options {
  token: string
  /** The `registry` input, normalised to end in `/`; undefined when not set (see registry-target.ts). */
  registry?: URL
  /** The package: a directory or a .tgz file (absolute). With `workspaces`, the workspace root. */
  packagePath: string
  packageKind: 'directory' | 'tarball'
  /** Publish every public package of the workspace rooted at `packagePath`. */
  workspaces: boolean
  /** The dist-tag the user chose; undefined means "not chosen" (then publishConfig.tag, then latest). */
  tag?: string
  access?: 'public' | 'restricted'
  /** undefined: not set (then publishConfig.provenance decides, else off). */
  provenance?: boolean
  dryRun: boolean
  strategy: 'all' | 'upgrade'
  ignoreScripts: boolean
  tokenCheck: 'strict' | 'warn' | 'off'
  egressIp?: string
  validateOnly: boolean
  /** A token expiring within this many days fails a health check and warns on a publish. */
  expiryWarningDays: number
  /** `token`, `oidc` (trusted publishing) or `auto` (OIDC when an ID token can be had). */
  auth: 'token' | 'oidc' | 'auto'
  /** `npm stage publish`: the release waits for approval on the registry. */
  stage: boolean
}

export type InputReader = (name: string) => string

const readInput: InputReader = (name) => core.getInput(name, { trimWhitespace: false })

/**
 * Reads every input. The token is read and masked before anything else; every other input is
 * checked, and all problems are reported together.
 */
export function getOptions(read: InputReader = readInput): Options {
  const problems: PublishError[] = []
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse()
    } catch (error) {
      if (!(error instanceof PublishError)) throw error
      problems.push(error)
      return undefined
    }
  }
  const optional = (name: string): string | undefined => read(name).trim() || undefined
  const raw = read('token')
  // Before any other input is read: nothing may print before the token is masked.
  maskToken(raw)
  const auth = attempt(() => oneOf('auth', optional('auth'), ['token', 'oidc', 'auto'] as const))
  // Trusted publishing needs no token; an empty one is fine there.
  const token = auth === 'oidc' && !raw.trim() ? '' : attempt(() => readToken(raw))
  const options = {
    auth: auth ?? 'token',
    token: token ?? '',
    stage: attempt(() => parseBoolean('stage', optional('stage'))),
    registry: attempt(() => {
      const value = optional('registry')
      return value === undefined ? undefined : parseRegistry(value)
    }),
    ...attempt(() => resolvePackage(optional('package') ?? '.')),
    workspaces: attempt(() => parseBoolean('workspaces', optional('workspaces'))),
    tag: attempt(() => parseTag(optional('tag'))),
    access: attempt(() => oneOf('access', optional('access'), ['public', 'restricted'] as const)),
    provenance: attempt(() => parseOptionalBoolean('provenance', optional('provenance'))),
    dryRun: attempt(() => parseBoolean('dry-run', optional('dry-run'))),
    strategy: attempt(
      () => oneOf('strategy', optional('strategy'), ['all', 'upgrade'] as const) ?? 'all'
    ),
    ignoreScripts: attempt(() => parseBoolean('ignore-scripts', optional('ignore-scripts'))),
    tokenCheck: attempt(
      () =>
        oneOf('token-check', optional('token-check'), ['strict', 'warn', 'off'] as const) ??
        'strict'
    ),
    egressIp: attempt(() => parseAddress(optional('egress-ip'))),
    validateOnly: attempt(() => parseBoolean('validate-only', optional('validate-only'))),
    expiryWarningDays: attempt(() =>
      parseDays('expiry-warning-days', optional('expiry-warning-days'))
    )
  }
  if (options.workspaces && options.packageKind === 'tarball') {
    problems.push(
      new PublishError(
        'INPUT_INVALID',
        '`workspaces: true` needs `package` to be the workspace root directory, not a .tgz'
      )
    )
  }
  if (problems.length) throw combine(problems)
  return options as Options
}

/** Registers the raw value with the masker, whole and line by line (so even a rejected token never prints). */
export function maskToken(raw: string): void {
  const token = raw.trim()
  if (token) maskSecret(token)
  // The runner masks line by line: a secret split by a line break must be masked in parts.
  for (const line of token.split(/[\r\n]+/))
    if (line.trim() && line !== token) maskSecret(line.trim())
}

/** Masks the raw value first, then checks its shape. */
export function readToken(raw: string): string {
  maskToken(raw)
  const token = raw.trim()
  if (!token) {
    throw new PublishError('TOKEN_MALFORMED', 'The `token` input is empty', emptyTokenHint)
  }
  if (/\s/.test(token)) {
    throw new PublishError(
      'TOKEN_MALFORMED',
      'The token holds whitespace or a line break inside it'
    )
  }
  // Registry tokens are printable ASCII; anything else cannot travel in an HTTP header.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new PublishError(
      'TOKEN_MALFORMED',
      'The token holds a character that is not printable ASCII (a control character, or a letter such as € or an emoji), which cannot be sent in an HTTP header'
    )
  }
  return token
}

const emptyTokenHint =
  'Pass `token: ${{ secrets.NPM_TOKEN }}` and check that the secret exists and is available to this workflow (secrets are not passed to workflows run from forks).'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  if (LOOPBACK_HOSTS.has(hostname) || host === 'localhost') return true
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback'
}

/** A registry URL as the token may be sent to it; `what` names where it came from in messages. */
export function parseRegistry(value: string, what = '`registry`'): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new PublishError('INPUT_INVALID', `${what} is not a URL: "${value}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PublishError('INPUT_INVALID', `${what} must be an http(s) URL, not ${url.protocol}`)
  }
  if (url.username || url.password) {
    throw new PublishError(
      'REGISTRY_INSECURE',
      `${what} holds credentials in the URL`,
      'Remove the user and password from the URL: the token input is the only credential the action sends.'
    )
  }
  if (url.search || value.includes('?')) {
    throw new PublishError('REGISTRY_INSECURE', `${what} holds a query string`)
  }
  // `new URL('https://host/#')` has an empty hash: look at the text too.
  if (url.hash || value.includes('#')) {
    throw new PublishError('INPUT_INVALID', `${what} holds a #fragment`)
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new PublishError(
      'REGISTRY_INSECURE',
      `${what} uses plain http to ${url.host}, which would send the token unencrypted`
    )
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return url
}

export function resolvePackage(value: string): Pick<Options, 'packagePath' | 'packageKind'> {
  const base = process.env['GITHUB_WORKSPACE'] || process.cwd()
  const target = path.resolve(base, value)
  let stat: fs.Stats
  try {
    stat = fs.statSync(target)
  } catch {
    throw new PublishError('INPUT_INVALID', `\`package\` does not exist: ${target}`)
  }
  if (stat.isDirectory()) return { packagePath: outsideTemp(target), packageKind: 'directory' }
  if (path.basename(target) === 'package.json') {
    return { packagePath: outsideTemp(path.dirname(target)), packageKind: 'directory' }
  }
  if (/\.(tgz|tar\.gz)$/.test(target)) {
    if (!stat.isFile()) {
      throw new PublishError('INPUT_INVALID', `\`package\` is not a regular file: ${target}`)
    }
    return { packagePath: target, packageKind: 'tarball' }
  }
  throw new PublishError(
    'INPUT_INVALID',
    `\`package\` must be a directory, a package.json or a .tgz: ${target}`
  )
}

/**
 * The action's private directory is made under the runner's temp dir: a package directory that
 * is (or holds) that dir would pack the action's own files into the published tarball.
 */
function outsideTemp(dir: string): string {
  // Through links too: compare where both really are.
  const real = (file: string): string => {
    try {
      return fs.realpathSync(file)
    } catch {
      return path.resolve(file)
    }
  }
  const relative = path.relative(real(dir), real(tempRoot()))
  // `..cache` (a child named so) is inside; only `..` itself or `../…` leaves the directory.
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`)
  if (!outside && !path.isAbsolute(relative)) {
    throw new PublishError(
      'INPUT_INVALID',
      `\`package\` (${dir}) is or contains the runner's temp directory (${tempRoot()}), where the action keeps its private files`,
      'Point `package` at the package directory itself, inside the workspace.'
    )
  }
  return dir
}

/** npm refuses tags that read as a range or change when URI-encoded. */
export function parseTag(value: string | undefined, what = '`tag`'): string | undefined {
  if (value === undefined) return undefined
  if (encodeURIComponent(value) !== value) {
    throw new PublishError(
      'INPUT_INVALID',
      `${what} "${value}" holds characters that change when URI-encoded, which npm refuses in a dist-tag`,
      'Use letters, digits, "-", "_" and "." only (for example `next`, `v2-latest`).'
    )
  }
  if (validRange(value) !== null) {
    throw new PublishError(
      'INPUT_INVALID',
      `${what} "${value}" reads as a version range, which npm refuses as a dist-tag`,
      'Use a name such as `next`, `legacy` or `v2-latest`.'
    )
  }
  return value
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[]
): T | undefined {
  if (value === undefined) return undefined
  const lower = value.toLowerCase()
  const match = allowed.find((candidate) => candidate === lower)
  if (!match) {
    throw new PublishError(
      'INPUT_INVALID',
      `\`${name}\` must be one of ${allowed.join(', ')}; got "${value}"`
    )
  }
  return match
}

function parseBoolean(name: string, value: string | undefined): boolean {
  return parseOptionalBoolean(name, value) ?? false
}

function parseOptionalBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  return oneOf(name, value, ['true', 'false'] as const) === 'true'
}

const DEFAULT_EXPIRY_WARNING_DAYS = 14

function parseDays(name: string, value: string | undefined): number {
  if (value === undefined) return DEFAULT_EXPIRY_WARNING_DAYS
  if (!/^\d{1,4}$/.test(value)) {
    throw new PublishError(
      'INPUT_INVALID',
      `\`${name}\` must be a whole number of days; got "${value}"`
    )
  }
  return Number(value)
}

function parseAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!ipaddr.isValid(value)) {
    throw new PublishError('INPUT_INVALID', `\`egress-ip\` is not an IP address: "${value}"`)
  }
  return ipaddr.process(value).toString()
}
