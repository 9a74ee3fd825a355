import http from 'node:http'
import type { Socket } from 'node:net'
import ipaddr from 'ipaddr.js'
import { PublishError, errorMessage } from './errors.js'

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
  /** Headers / body / connect timeout of one attempt. */
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

/** node:https (and TLS behind it) loads only for an https registry. */
function https(): typeof import('node:https') {
  return process.getBuiltinModule('node:https')
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])

export type TokenListResult =
  | { kind: 'entries'; entries: unknown[]; pages: number; complete: boolean }
  | { kind: 'unavailable'; status?: number; reason: string }

/**
 * Every request the action makes to the registry, over one keep-alive agent (node:http(s): no
 * HTTP library to load on the critical path). GETs may be retried; the one POST is not.
 */
export class RegistryClient {
  private readonly agent: http.Agent
  /** Addresses of the last socket opened to the registry: what the registry sees, unless there is NAT. */
  private socketAddresses?: { local: string; remote: string }
  /** Behind a proxy the socket's addresses say nothing about what the registry sees. */
  private readonly proxied: boolean
  /** Requests not yet handed to the OS in full (see `sent`). */
  private readonly unsent = new Set<Promise<void>>()
  private closed = false

  constructor(
    readonly registry: URL,
    private readonly token: string | undefined,
    private readonly retry: RetryPolicy = retryPolicy(),
    private readonly sleep: (ms: number) => Promise<void> = delay
  ) {
    const Agent = registry.protocol === 'https:' ? https().Agent : http.Agent
    // HTTPS_PROXY / HTTP_PROXY / NO_PROXY as npm honours them (Node >= 24.5 built-in support).
    this.agent = new Agent({ keepAlive: true, maxSockets: 4, proxyEnv: process.env })
    this.proxied = PROXY_VARIABLES.some((name) => process.env[name])
  }

  /**
   * Ends the requests in flight (destroying the agent's sockets) and refuses new ones: no retry
   * carries the token after this.
   */
  close(): Promise<void> {
    this.closed = true
    this.agent.destroy()
    return Promise.resolve()
  }

  /** Resolves once every request started so far has been written to its socket (or has failed). */
  async sent(): Promise<void> {
    await Promise.all(this.unsent)
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
    const url = this.url(name.replace('/', '%2f'))
    // no-cache: a CDN's copy may predate a publish that just landed (reruns, read-backs).
    const accept = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8'
    let result = await this.get(url, { auth: true, accept })
    // A token the registry refuses on reads (revoked, IP-blocked) must not hide a public packument.
    if (result.status === 401 || result.status === 403) {
      result = await this.get(url, { auth: false, accept })
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
    const url = this.url(`-/npm/v1/oidc/token/exchange/package/${packageName.replace('/', '%2f')}`)
    try {
      const response = await this.send(url, 'POST', {
        authorization: `Bearer ${idToken}`,
        accept: 'application/json',
        'user-agent': 'npm-automation-publish'
      })
      const body = parseBody(response.text)
      return { ...response, body: body === MALFORMED ? response.text : body }
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
   * `urls.next` as npm resolves it; only under the registry's own URL (host, port and path): the
   * request carries the token, which must not reach another repository on a shared server.
   */
  private follow(next: string): URL | undefined {
    if (!next) return undefined
    try {
      const url = /^https?:/i.test(next) ? new URL(next) : this.url(next.replace(/^\//, ''))
      return url.href.startsWith(this.registry.href) ? url : undefined
    } catch {
      return undefined // a malformed link ends a best-effort list
    }
  }

  /**
   * One request, no redirects followed (a redirect must not carry the token elsewhere). The
   * socket timeout bounds connecting, waiting for headers and every pause in the body.
   */
  private send(
    url: URL,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    leftMs = Infinity
  ): Promise<{ status: number; headers: Record<string, string | undefined>; text: string }> {
    if (this.closed) return Promise.reject(new Error('the registry client was closed'))
    const transport = url.protocol === 'https:' ? https() : http
    // The whole attempt, trickling bodies included, ends within the timeout and the budget left.
    const limit = Math.max(1, Math.min(this.retry.timeoutMs, leftMs))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new Error(`timeout, no answer within ${Math.round(limit)} ms`)
        request.destroy(Object.assign(error, { code: 'ETIMEDOUT' }))
      }, limit)
      const fail = (error: Error): void => {
        clearTimeout(timer)
        reject(error)
      }
      const request = transport.request(url, { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', fail)
        response.on('end', () => {
          clearTimeout(timer)
          resolve({
            status: response.statusCode ?? 0,
            headers: flattenHeaders(response.headers),
            text: Buffer.concat(chunks).toString('utf8')
          })
        })
      })
      request.on('socket', (socket: Socket) => {
        if (socket.connecting) socket.once('connect', () => this.remember(socket))
        else this.remember(socket)
      })
      request.on('error', fail)
      const written = new Promise<void>((done) => {
        request.once('finish', done)
        request.once('close', done)
      })
      this.unsent.add(written)
      void written.then(() => this.unsent.delete(written))
      request.end()
    })
  }

  private remember(socket: Socket): void {
    if (socket.localAddress && socket.remoteAddress) {
      this.socketAddresses = { local: socket.localAddress, remote: socket.remoteAddress }
    }
  }

  /** One GET with timeouts, retried on connection errors, 408/429/5xx and malformed JSON. */
  async get(
    url: URL,
    options: { auth: boolean; accept?: string; text?: boolean; deadline?: number }
  ): Promise<HttpResult> {
    // One wall-clock budget for the request and its retries (or the caller's, if sooner).
    const deadline = Math.min(options.deadline ?? Infinity, Date.now() + this.retry.budgetMs)
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      // Every read is of live state; a CDN copy may predate a publish that just landed.
      'cache-control': 'no-cache',
      'user-agent': 'npm-automation-publish'
    }
    if (options.auth && this.token) headers['authorization'] = `Bearer ${this.token}`
    let lastProblem: string
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined
      try {
        const response = await this.send(url, 'GET', headers, deadline - Date.now())
        const result: HttpResult = {
          ...response,
          body: options.text ? response.text : parseBody(response.text)
        }
        if (!RETRY_STATUSES.has(result.status) && result.body !== MALFORMED) return result
        lastProblem = result.body === MALFORMED ? 'malformed JSON' : describeStatus(result)
        wait = retryAfterMs(result.headers['retry-after'])
        if (attempt >= this.retry.attempts || Date.now() >= deadline) {
          if (result.status < 500 && result.status !== 429 && result.body !== MALFORMED)
            return result
          break
        }
      } catch (error) {
        lastProblem = networkProblem(error)
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
      await this.sleep(pause)
      if (this.closed) break
    }
    throw new PublishError(
      'REGISTRY_UNREACHABLE',
      `GET ${url.origin}${url.pathname} failed: ${lastProblem}`
    )
  }
}

export interface Packument {
  name?: string
  'dist-tags'?: Record<string, string>
  versions?: Record<string, { dist?: { integrity?: string; shasum?: string } }>
  /** Last change to the package (the abbreviated packument's field; npmjs and Verdaccio send it). */
  modified?: string
  /** Publish time of each version, and `modified` (full packument; Verdaccio sends it to both). */
  time?: Record<string, string>
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

function flattenHeaders(raw: Record<string, string | string[] | undefined>) {
  const headers: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(raw)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export function describeStatus(result: HttpResult): string {
  const body = result.body as { error?: unknown; message?: unknown } | string | undefined
  const detail =
    typeof body === 'string'
      ? body.slice(0, 200)
      : typeof body?.error === 'string'
        ? body.error
        : typeof body?.message === 'string'
          ? body.message
          : ''
  return `HTTP ${result.status}${detail ? ` (${detail.trim()})` : ''}`
}

function networkProblem(error: unknown): string {
  const code = (error as { code?: unknown })?.code
  return typeof code === 'string' ? `${code}: ${errorMessage(error)}` : errorMessage(error)
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
