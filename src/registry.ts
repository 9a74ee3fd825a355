import { setTimeout as sleepFor } from 'node:timers/promises'
import v8 from 'node:v8'
import ipaddr from 'ipaddr.js'
import { Agent, EnvHttpProxyAgent, buildConnector } from 'undici'
import type { Dispatcher } from 'undici/types/index.js'
import { PublishError, errorMessage } from './errors.js'
import { quote } from './secrets.js'

/** A registry answer, parsed as far as the callers need. */
export interface HttpResult {
  status: number
  headers: Record<string, string | undefined>
  body: unknown
}

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  attempts: number
  /** First backoff; doubles each retry, with jitter. */
  baseDelayMs: number
  /** Wall-clock budget for one request and its retries. */
  budgetMs: number
  /** Connect / headers / whole-body timeout of one attempt. */
  timeoutMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 300,
  budgetMs: 20_000,
  timeoutMs: 10_000
}

/**
 * The retry policy, with one override: `NPM_AUTOMATION_PUBLISH_TIMEOUT_MS` (undocumented; for the
 * tests, which would otherwise wait 20 s for a stalled registry) sets the per-attempt timeout, and
 * the budget becomes twice that. Unset or not a positive integer → DEFAULT_RETRY.
 */
export function retryPolicy(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const raw = env['NPM_AUTOMATION_PUBLISH_TIMEOUT_MS']?.trim()
  const timeoutMs = raw && /^\d+$/.test(raw) ? Number(raw) : 0
  if (timeoutMs <= 0) return DEFAULT_RETRY
  return { ...DEFAULT_RETRY, timeoutMs, budgetMs: 2 * timeoutMs }
}

/** Statuses worth another attempt (GETs and the idempotent dist-tag PUT only). */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])

/** Body caps: a packument of a big package is tens of MB; nothing else is more than a few kB. */
export const BODY_LIMITS = { packument: 64 * 1024 * 1024, other: 4 * 1024 * 1024 } as const

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']

export type TokenListResult =
  | { kind: 'entries'; entries: unknown[]; pages: number; complete: boolean }
  | { kind: 'unavailable'; status?: number; reason: string }

/** The abbreviated packument: what the plan and the read-back need. */
export interface Packument {
  name?: string
  'dist-tags'?: Record<string, string>
  versions?: Record<string, { dist?: { integrity?: string; shasum?: string } }>
  /** Last change to the package (the abbreviated packument's field; npmjs and Verdaccio send it). */
  modified?: string
  /** Publish time of each version, and `modified` (full packument; Verdaccio sends it to both). */
  time?: Record<string, string>
}

interface Send {
  method: 'GET' | 'POST' | 'PUT'
  headers: Record<string, string>
  body?: string
  limit: number
  text?: boolean
}

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 starts it on its baseline compiler and,
 * once the parser is warm (a few responses), recompiles it with its optimising compiler on a
 * background thread: about 100 ms of CPU that a run parsing a dozen small answers never gets back,
 * and that the process then waits for before it can exit (measured: ~70 ms of every run's exit,
 * on the runs that start no npm). A budget no run reaches keeps llhttp on the baseline code. The
 * flag is read when a function's budget runs out, so setting it here, before the first request,
 * takes effect (a command-line `--liftoff-only` cannot be passed: the runner starts `node` itself).
 */
v8.setFlagsFromString('--wasm-tiering-budget=2000000000')

/**
 * Every request the action makes to the registry, over one undici agent: HTTP(S)_PROXY and
 * NO_PROXY as npm honours them (EnvHttpProxyAgent), TLS always verified, no redirects followed (a
 * redirect must not carry the token elsewhere), connect / headers / body timeouts, a cap on every
 * body. GETs (and the idempotent dist-tag PUT) are retried within one wall-clock budget, honouring
 * Retry-After; the OIDC POST is not.
 */
export class RegistryClient {
  private readonly agent: Dispatcher
  /** Addresses of the last connection to the registry: what it sees, unless there is NAT. */
  private socketAddresses?: { local: string; remote: string }
  /** Behind a proxy the socket's addresses say nothing about what the registry sees. */
  private readonly proxied: boolean
  private closed = false
  /** Aborted by `close()`: ends a backoff or Retry-After wait at once. */
  private readonly closing = new AbortController()

  constructor(
    readonly registry: URL,
    private readonly token: string | undefined,
    private readonly retry: RetryPolicy = retryPolicy(),
    private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void> = delay,
    dispatcher?: Dispatcher
  ) {
    this.proxied = PROXY_VARIABLES.some((name) => process.env[name])
    const timeouts = {
      headersTimeout: retry.timeoutMs,
      bodyTimeout: retry.timeoutMs,
      maxResponseSize: BODY_LIMITS.packument,
      connections: 8
    }
    const tls = { rejectUnauthorized: true, timeout: retry.timeoutMs }
    if (dispatcher) this.agent = dispatcher
    else if (this.proxied) {
      // EnvHttpProxyAgent hands its options to undici's ProxyAgent, which takes the TLS options of
      // the tunnelled request and of the proxy connection apart (its types do not say so).
      const proxyOptions = { ...timeouts, connect: tls, requestTls: tls, proxyTls: tls }
      this.agent = new EnvHttpProxyAgent(proxyOptions)
    } else {
      const connector = buildConnector(tls)
      this.agent = new Agent({
        ...timeouts,
        connect: (options, callback) =>
          connector(options, (error, socket) => {
            if (!error && socket?.localAddress && socket.remoteAddress) {
              this.socketAddresses = { local: socket.localAddress, remote: socket.remoteAddress }
            }
            if (error || !socket) callback(error ?? new Error('no socket'), null)
            else callback(null, socket)
          })
      })
    }
  }

  /** The per-attempt timeout (npm's requests get a multiple of it). */
  get timeoutMs(): number {
    return this.retry.timeoutMs
  }

  /**
   * Ends the requests in flight and the waits between attempts, and refuses new requests: no retry
   * carries the token after this, and no pending wait keeps the process alive.
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.closing.abort()
    try {
      await this.agent.destroy()
    } catch {
      // A dispatcher without destroy() (a test's MockAgent) is closed instead.
      await this.agent.close().catch(() => undefined)
    }
  }

  /** `GET /-/whoami` with the token. */
  whoami(): Promise<HttpResult> {
    return this.get(this.url('-/whoami'), { auth: true })
  }

  /** The token list, page after page (`urls.next`), capped; "unavailable" when the registry refuses it. */
  async tokenList(maxPages = 20): Promise<TokenListResult> {
    const entries: unknown[] = []
    const seen = new Set<string>()
    let next: URL | undefined = this.url('-/npm/v1/tokens?perPage=100')
    let pages = 0
    const deadline = Date.now() + this.retry.budgetMs // for all pages together
    while (next && pages < maxPages && !seen.has(next.href)) {
      seen.add(next.href)
      let page: HttpResult
      try {
        page = await this.get(next, { auth: true, deadline })
      } catch (error) {
        // Best effort: a list that keeps failing (5xx, timeouts) leaves the verdict to whoami.
        return { kind: 'unavailable', reason: errorMessage(error) }
      }
      if (page.status !== 200) {
        return { kind: 'unavailable', status: page.status, reason: describeStatus(page) }
      }
      const body = page.body as { objects?: unknown; urls?: { next?: unknown } } | undefined
      if (!body || !Array.isArray(body.objects)) {
        return { kind: 'unavailable', status: 200, reason: 'the token list has no "objects" array' }
      }
      entries.push(...(body.objects as unknown[]))
      pages++
      next = typeof body.urls?.next === 'string' ? this.follow(body.urls.next) : undefined
    }
    return { kind: 'entries', entries, pages, complete: next === undefined || seen.has(next.href) }
  }

  /** The abbreviated packument, or undefined when the package does not exist yet. */
  async packument(name: string): Promise<Packument | undefined> {
    const url = this.url(escapeName(name))
    const accept = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8'
    let result = await this.get(url, { auth: true, accept, limit: BODY_LIMITS.packument })
    // A token the registry refuses on reads (revoked, IP-blocked) must not hide a public packument.
    if (result.status === 401 || result.status === 403) {
      result = await this.get(url, { auth: false, accept, limit: BODY_LIMITS.packument })
    }
    if (result.status === 404) return undefined
    if (result.status !== 200 || typeof result.body !== 'object' || result.body === null) {
      throw new PublishError(
        'REGISTRY_UNREACHABLE',
        `Reading ${name} from ${this.registry.host} failed: ${describeStatus(result)}`
      )
    }
    return result.body
  }

  /**
   * `PUT /-/package/<name>/dist-tags/<tag>` with the version, as `npm dist-tag add` sends it.
   * Idempotent, so retried like a GET. Returns the registry's answer; the caller judges it.
   */
  setDistTag(name: string, tag: string, version: string): Promise<HttpResult> {
    const url = this.url(`-/package/${escapeName(name)}/dist-tags/${encodeURIComponent(tag)}`)
    return this.attempts(url, {
      method: 'PUT',
      headers: { ...this.headers(true, 'application/json'), 'content-type': 'application/json' },
      body: JSON.stringify(version),
      limit: BODY_LIMITS.other
    })
  }

  /**
   * The address the registry sees this runner as, for the token's CIDR list. The local socket
   * address is it when the registry is on loopback or a private network, or when the runner's own
   * address is public; otherwise ask the registry host's edge (`/cdn-cgi/trace`, as npmjs serves).
   */
  async egressAddress(): Promise<{ address?: string; source: string }> {
    const seen = this.proxied ? undefined : this.socketAddresses
    if (seen && ipaddr.isValid(seen.local)) {
      const local = ipaddr.process(seen.local)
      const remote = ipaddr.isValid(seen.remote) ? ipaddr.process(seen.remote) : undefined
      const direct = remote && ['loopback', 'private', 'uniqueLocal'].includes(remote.range())
      if (direct || local.range() === 'unicast') {
        return { address: local.toString(), source: 'local socket address' }
      }
    }
    try {
      const trace = await this.get(new URL('/cdn-cgi/trace', this.registry), {
        auth: false,
        text: true
      })
      const ip = /^ip=(.+)$/m.exec(String(trace.body))?.[1]?.trim()
      if (trace.status === 200 && ip && ipaddr.isValid(ip)) {
        return {
          address: ipaddr.process(ip).toString(),
          source: `${this.registry.host}/cdn-cgi/trace`
        }
      }
    } catch {
      // fall through: the CIDR check becomes "unknown"
    }
    return { source: 'not detected' }
  }

  /**
   * Trusted publishing: trade a GitHub ID token for a short-lived npm token. One POST, no body,
   * not retried (the caller falls back or fails with the registry's message).
   */
  async exchangeIdToken(packageName: string, idToken: string): Promise<HttpResult> {
    const url = this.url(`-/npm/v1/oidc/token/exchange/package/${escapeName(packageName)}`)
    try {
      return await this.send(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${idToken}`,
          accept: 'application/json',
          'user-agent': USER_AGENT
        },
        limit: BODY_LIMITS.other
      })
    } catch (error) {
      throw new PublishError(
        'REGISTRY_UNREACHABLE',
        `POST ${url.origin}${url.pathname} failed: ${networkProblem(error)}`
      )
    }
  }

  url(relative: string): URL {
    return new URL(relative, this.registry)
  }

  /**
   * `urls.next` as npm resolves it; only under the registry's own URL (host, port and path), also
   * once a server or a proxy in front of it decodes the path (once or twice: `..%2f`, `%252e%252e`
   * must not climb out): the request carries the token, which must not reach another repository on
   * a shared server. A token list's path needs no escape, so below the registry's path none is
   * followed, nor a backslash or a `;` (Tomcat reads `..;/` as `../`).
   */
  private follow(next: string): URL | undefined {
    if (!next) return undefined
    try {
      const link = next.trim()
      const url = /^https?:/i.test(link) ? new URL(link) : this.url(link.replace(/^\//, ''))
      if (url.origin !== this.registry.origin || !url.href.startsWith(this.registry.href))
        return undefined
      const below = url.pathname.slice(this.registry.pathname.length)
      // `..;/` is `../` to a Tomcat-based registry (Artifactory): no `;` either.
      if (/[%\\;]/.test(below) || below.split('/').includes('..')) return undefined
      return url
    } catch {
      return undefined // a malformed link ends a best-effort list
    }
  }

  private headers(auth: boolean, accept: string): Record<string, string> {
    const headers: Record<string, string> = {
      accept,
      // Every read is of live state; a CDN copy may predate a publish that just landed.
      'cache-control': 'no-cache',
      'user-agent': USER_AGENT
    }
    if (auth && this.token) headers['authorization'] = `Bearer ${this.token}`
    return headers
  }

  /** One GET, with retries (see `attempts`). */
  get(
    url: URL,
    options: { auth: boolean; accept?: string; text?: boolean; deadline?: number; limit?: number }
  ): Promise<HttpResult> {
    return this.attempts(
      url,
      {
        method: 'GET',
        headers: this.headers(options.auth, options.accept ?? 'application/json'),
        limit: options.limit ?? BODY_LIMITS.other,
        text: options.text
      },
      options.deadline
    )
  }

  /**
   * A request retried on connection errors, 408/429/5xx and malformed JSON, with exponential
   * backoff and jitter, honouring Retry-After (seconds or an HTTP date), within one wall-clock
   * budget (or the caller's deadline, if sooner). A closed client retries nothing. (undici's
   * retry interceptor ignores an HTTP-date Retry-After, caps every wait at its maxTimeout and
   * drops the last answer's body, so the policy is kept here, around undici's `request`.)
   */
  private async attempts(url: URL, send: Send, callerDeadline?: number): Promise<HttpResult> {
    const deadline = Math.min(callerDeadline ?? Infinity, Date.now() + this.retry.budgetMs)
    let lastProblem: string
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined
      try {
        const result = await this.send(url, send, deadline - Date.now())
        if (!RETRY_STATUSES.has(result.status) && result.body !== MALFORMED) return result
        lastProblem = result.body === MALFORMED ? 'malformed JSON' : describeStatus(result)
        wait = retryAfterMs(result.headers['retry-after'])
        if (attempt >= this.retry.attempts || Date.now() >= deadline) {
          if (result.status < 500 && result.status !== 429 && result.body !== MALFORMED)
            return result
          break
        }
      } catch (error) {
        if (error instanceof PublishError) throw error
        lastProblem = networkProblem(error)
        // The same certificate comes back on a retry.
        if (isCertificateError(error)) {
          throw new PublishError(
            'REGISTRY_UNREACHABLE',
            `${send.method} ${url.origin}${url.pathname} failed: ${lastProblem}`,
            CERTIFICATE_HINT
          )
        }
        if (attempt >= this.retry.attempts || Date.now() >= deadline) break
      }
      if (this.closed) break
      const backoff = this.retry.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2)
      const remaining = deadline - Date.now()
      if (wait !== undefined && wait > remaining) {
        // Sleeping the budget away only to retry before the registry asked would fail anyway.
        lastProblem += `; Retry-After asks for ${Math.ceil(wait / 1000)} s, more than the retry budget left`
        break
      }
      const pause = Math.min(wait ?? backoff, remaining)
      if (pause < 0) break
      await this.pause(pause)
      if (this.closed) break
    }
    throw new PublishError(
      'REGISTRY_UNREACHABLE',
      `${send.method} ${url.origin}${url.pathname} failed: ${lastProblem}`
    )
  }

  /** The wait between attempts; over at once when the client is closed. */
  private async pause(ms: number): Promise<void> {
    const { signal } = this.closing
    if (signal.aborted) return
    // The sleep ends early (rejecting) when `close()` aborts the signal.
    await this.sleep(ms, signal).catch(() => undefined)
  }

  /** One attempt: connect, headers and the whole body within the timeout and the budget left. */
  private async send(url: URL, send: Send, leftMs = Infinity): Promise<HttpResult> {
    if (this.closed) throw new Error('the registry client was closed')
    const limit = Math.max(1, Math.min(this.retry.timeoutMs, leftMs))
    const signal = AbortSignal.timeout(limit)
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: send.method,
        headers: send.headers,
        body: send.body,
        signal
      })
      // An abort while undici retried nothing leaves no status: treat it as the timeout it is.
      if (response.statusCode === undefined) throw timeoutError(limit)
      const headers = flattenHeaders(response.headers)
      // The token is the only header that can grow that far: said so, not "unreachable".
      if (response.statusCode === 431 && send.headers['authorization']) {
        discard(response.body)
        throw new PublishError(
          'TOKEN_MALFORMED',
          `${this.registry.host} refused the request headers as too large (HTTP 431): the token is far longer than a registry token`
        )
      }
      // A declared length past the cap is refused before a byte of it is read.
      const declared = Number(headers['content-length'])
      if (Number.isFinite(declared) && declared > send.limit) {
        discard(response.body)
        throw tooLarge(send, url, send.limit)
      }
      const text = await readCapped(response.body, send.limit)
      if (text === undefined) throw tooLarge(send, url, send.limit)
      return { status: response.statusCode, headers, body: send.text ? text : parseBody(text) }
    } catch (error) {
      if (signal.aborted && !(error instanceof PublishError)) throw timeoutError(limit)
      if ((error as { code?: string })?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
        throw tooLarge(send, url, BODY_LIMITS.packument)
      }
      throw error
    }
  }
}

const USER_AGENT = 'npm-automation-publish'

/** `@scope/name` → `@scope%2fname`, as npm writes packument URLs. */
export function escapeName(name: string): string {
  return name.replace('/', '%2f')
}

/** The body as text, or undefined once it passes `limit` bytes (the rest is not read). */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy?: () => void },
  limit: number
): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > limit) {
      body.destroy?.()
      return undefined
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Stops reading a body (the connection goes with it); its abort is expected, not an error. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined)
  body.destroy()
}

/** Not retried: a registry that sends too much once sends it again. */
function tooLarge(send: Send, url: URL, limit: number): PublishError {
  return new PublishError(
    'REGISTRY_UNREACHABLE',
    `${send.method} ${url.origin}${url.pathname}: the answer is larger than ${limit / 1024 / 1024} MiB, the most the action reads; it stopped reading there`
  )
}

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`timeout, no answer within ${Math.round(ms)} ms`), {
    code: 'ETIMEDOUT'
  })
}

const MALFORMED = Symbol('malformed')

function parseBody(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text.trimStart().startsWith('{') ? MALFORMED : text
  }
}

function flattenHeaders(
  raw: Record<string, string | string[] | undefined>
): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(raw)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

/**
 * Retry-After as milliseconds from `now`: delay-seconds, or an HTTP date (all three of its forms
 * begin with the day's name). Anything else is ignored, the backoff applies: `Date.parse` alone
 * would read "1.5" or "-1" as a date in 2001 and retry at once.
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/^[A-Za-z]{3}/.test(text)) return undefined
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * `HTTP 503 (the registry's own words, made safe to print)`; for a redirect, where it pointed
 * (never followed: the token goes to the configured registry only).
 */
export function describeStatus(result: HttpResult): string {
  const location = result.status >= 300 && result.status < 400 ? result.headers['location'] : ''
  if (location) {
    return `HTTP ${result.status} (a redirect to ${quote(location)}, not followed: set \`registry\` to the URL that answers)`
  }
  const body = result.body as { error?: unknown; message?: unknown } | string | undefined
  const detail =
    typeof body === 'string'
      ? body
      : typeof body?.error === 'string'
        ? body.error
        : typeof body?.message === 'string'
          ? body.message
          : ''
  const said = quote(detail)
  return `HTTP ${result.status}${said ? ` (${said})` : ''}`
}

const CERTIFICATE_HINT =
  "The registry's TLS certificate is not trusted, and the action always verifies it (NODE_TLS_REJECT_UNAUTHORIZED does not turn that off). For a registry with a private CA, point NODE_EXTRA_CA_CERTS at the CA file in the step's env; otherwise check for a proxy that intercepts TLS."

/** OpenSSL's verification failures and Node's host-name check, as error codes. */
function isCertificateError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  return (
    typeof code === 'string' &&
    /^(ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET_ISSUER_CERT(_LOCALLY)?|VERIFY_LEAF_SIGNATURE|DECRYPT_CERT_SIGNATURE)|CERT_(HAS_EXPIRED|NOT_YET_VALID|UNTRUSTED|REJECTED|SIGNATURE_FAILURE))$/.test(
      code
    )
  )
}

function networkProblem(error: unknown): string {
  const code = (error as { code?: unknown })?.code
  const message = quote(errorMessage(error))
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message
}

/** Sleeps `ms`, or less when `signal` aborts (then it rejects). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return sleepFor(ms, undefined, { signal })
}
