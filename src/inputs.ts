import * as workflow from './workflow.js'
import fs from 'node:fs'
import path from 'node:path'
import ipaddr from 'ipaddr.js'
import validRange from 'semver/ranges/valid.js'
import { PublishError } from './errors.js'
import { maskSecret } from './secrets.js'

/** Everything the action was asked to do, read and validated once. */
export interface Options {
  token: string
  /** Normalised registry URL, always ending in `/`. */
  registry: URL
  /** The package: a directory or a .tgz file (absolute). */
  packagePath: string
  packageKind: 'directory' | 'tarball'
  /** The dist-tag the user chose; undefined means "not chosen" (npm's `latest`). */
  tag?: string
  access?: 'public' | 'restricted'
  provenance: boolean
  dryRun: boolean
  strategy: 'all' | 'upgrade'
  ignoreScripts: boolean
  tokenCheck: 'strict' | 'warn' | 'off'
  egressIp?: string
  validateOnly: boolean
  /** `token`, `oidc` (trusted publishing) or `auto` (OIDC when an ID token can be had). */
  auth: 'token' | 'oidc' | 'auto'
  /** `npm stage publish`: the release waits for approval on the registry. */
  stage: boolean
}

export type InputReader = (name: string) => string

const readInput: InputReader = (name) => workflow.getInput(name)

/** Reads every input; masks the token before anything else happens. */
export function getOptions(read: InputReader = readInput): Options {
  const optional = (name: string): string | undefined => read(name).trim() || undefined
  const auth = oneOf('auth', optional('auth'), ['token', 'oidc', 'auto'] as const) ?? 'token'
  // Trusted publishing needs no token; an empty one is fine there.
  const token = auth === 'oidc' && !read('token').trim() ? '' : readToken(read('token'))
  return {
    auth,
    stage: parseBoolean('stage', optional('stage')),
    token,
    registry: parseRegistry(optional('registry') ?? 'https://registry.npmjs.org/'),
    ...resolvePackage(optional('package') ?? '.'),
    tag: parseTag(optional('tag')),
    access: oneOf('access', optional('access'), ['public', 'restricted'] as const),
    provenance: parseBoolean('provenance', optional('provenance')),
    dryRun: parseBoolean('dry-run', optional('dry-run')),
    strategy: oneOf('strategy', optional('strategy'), ['all', 'upgrade'] as const) ?? 'all',
    ignoreScripts: parseBoolean('ignore-scripts', optional('ignore-scripts')),
    tokenCheck:
      oneOf('token-check', optional('token-check'), ['strict', 'warn', 'off'] as const) ?? 'strict',
    egressIp: parseAddress(optional('egress-ip')),
    validateOnly: parseBoolean('validate-only', optional('validate-only'))
  }
}

/** Masks the raw value first (so even a rejected token never prints), then checks its shape. */
export function readToken(raw: string): string {
  const token = raw.trim()
  if (token) maskSecret(token)
  // The runner masks line by line: a secret split by a line break must be masked in parts.
  if (/[\r\n]/.test(token)) {
    for (const line of token.split(/[\r\n]+/)) if (line.trim()) maskSecret(line.trim())
  }
  if (!token) {
    throw new PublishError('TOKEN_MALFORMED', 'The `token` input is empty', emptyTokenHint)
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(token)) {
    throw new PublishError(
      'TOKEN_MALFORMED',
      'The token holds whitespace, a line break or a control character inside it'
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

export function parseRegistry(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new PublishError('INPUT_INVALID', `\`registry\` is not a URL: "${value}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PublishError(
      'INPUT_INVALID',
      `\`registry\` must be an http(s) URL, not ${url.protocol}`
    )
  }
  if (url.username || url.password) {
    throw new PublishError(
      'REGISTRY_INSECURE',
      '`registry` holds credentials in the URL',
      'Remove the user and password from the URL: the token input is the only credential the action sends.'
    )
  }
  if (url.search || value.includes('?')) {
    throw new PublishError('REGISTRY_INSECURE', '`registry` holds a query string')
  }
  if (url.hash) throw new PublishError('INPUT_INVALID', '`registry` holds a #fragment')
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new PublishError(
      'REGISTRY_INSECURE',
      `\`registry\` uses plain http to ${url.host}, which would send the token unencrypted`
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
  if (stat.isDirectory()) return { packagePath: target, packageKind: 'directory' }
  if (path.basename(target) === 'package.json') {
    return { packagePath: path.dirname(target), packageKind: 'directory' }
  }
  if (/\.(tgz|tar\.gz)$/.test(target)) return { packagePath: target, packageKind: 'tarball' }
  throw new PublishError(
    'INPUT_INVALID',
    `\`package\` must be a directory, a package.json or a .tgz: ${target}`
  )
}

function parseTag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (/[\s/%]/.test(value)) {
    throw new PublishError('INPUT_INVALID', `\`tag\` "${value}" holds a space, "/" or "%"`)
  }
  if (validRange(value) !== null) {
    throw new PublishError(
      'INPUT_INVALID',
      `\`tag\` "${value}" reads as a version range, which npm refuses as a dist-tag`,
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
  if (value === undefined) return false
  const parsed = oneOf(name, value, ['true', 'false'] as const)
  return parsed === 'true'
}

function parseAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!ipaddr.isValid(value)) {
    throw new PublishError('INPUT_INVALID', `\`egress-ip\` is not an IP address: "${value}"`)
  }
  return ipaddr.process(value).toString()
}
