// A scripted fake npm registry for what Verdaccio cannot show: npmjs's 2026 token-list shape,
// distinct 401/403 bodies, EOTP, 5xx/429 with Retry-After, resets after the PUT landed, stalls.
// A plain `http.createServer` on 127.0.0.1:0 (loopback only). Every test closes what it starts.
//
// Dist-tags (`npm dist-tag`, the action's tag move):
//   PUT /-/package/<name>/dist-tags/<tag>   body: the version as a JSON string ("1.2.3")
//     → recorded in `distTagPuts` (tag, version, tokenSent...; also in `requests`, route
//       'dist-tag'); no Authorization → 401; unknown package or version → 404; otherwise the tag
//       is set in the package's dist-tags and answered 201 {"ok": "package tagged"}.
//     `scriptDistTag({status, body?, headers?}, times)` answers the next `times` PUTs with that
//       status instead, changing nothing (503 to see the client retry, 403/401 to see a refusal).
//   GET /-/package/<name>/dist-tags → the package's dist-tags (404 when unknown).
//
// Written in erasable TypeScript only (no enums, no parameter properties), so a plain
// `node --experimental-strip-types` script can import it too (that is how the npm fixtures in
// npm-errors.test.ts were recorded).
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One request the fake saw. */
export interface RecordedRequest {
  method: string
  /** Path and query as sent (`/@scope%2fname`, `/-/npm/v1/tokens?perPage=100`). */
  url: string
  /** The route it was served by. */
  route: Route
  /** Package name for packument / PUT / tarball routes. */
  name?: string
  headers: http.IncomingHttpHeaders
  /** The Authorization header carried exactly `Bearer <the token this fake was told about>`. */
  tokenSent: boolean
  /** Set when an Authorization header was present at all. */
  authorization?: string
  userAgent: string
  /** Milliseconds since the fake started. */
  at: number
  /** What the fake did: the status it answered, or 'reset' / 'stall'. */
  outcome?: number | 'reset' | 'stall'
}

/** A recorded `PUT /<name>` (npm's publish document). */
export interface RecordedPut extends RecordedRequest {
  version?: string
  /** sha512 integrity of the attached tarball, computed here. */
  integrity?: string
  /** `versions[v].dist.integrity` as npm sent it. */
  claimedIntegrity?: string
  /** The version was written to the fake's storage by this PUT. */
  stored: boolean
  document?: PublishDocument
}

/** A recorded `PUT /-/package/<name>/dist-tags/<tag>`. */
export interface RecordedDistTag extends RecordedRequest {
  tag: string
  /** The body, parsed: the version the tag was asked to point at (undefined if not a JSON string). */
  version?: string
  /** The tag was set by this PUT. */
  applied: boolean
}

/** A scripted answer to a dist-tag PUT (nothing is changed). */
export interface DistTagAnswer {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

export type Route = 'whoami' | 'tokens' | 'packument' | 'publish' | 'tarball' | 'dist-tag' | 'other'

/**
 * What one GET does instead of its normal answer. `endless`: 200 and a chunked JSON-looking body
 * that never ends (written as fast as the client reads, until it hangs up).
 */
export type GetFault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'malformed' }
  | { kind: 'stall' }
  | { kind: 'reset' }
  | { kind: 'endless' }

/**
 * What one PUT does. `store` (default: true for ok/reset/409, false otherwise) writes the version
 * before answering, as a registry that accepted the upload and then lost the answer would.
 */
export type PutBehaviour =
  | { kind: 'ok'; status?: number }
  | {
      kind: 'status'
      status: number
      headers?: Record<string, string>
      body?: unknown
      store?: boolean
    }
  | { kind: 'reset'; store?: boolean }
  | { kind: 'stall'; store?: boolean }

/** Ready-made PUT answers, shaped like npmjs's. `%s` in a body's strings becomes the package name. */
export const PUT_FAULTS = {
  notFound: { kind: 'status', status: 404, body: { error: 'Not found' } },
  twoFactor: {
    kind: 'status',
    status: 403,
    body: {
      error:
        'Two-factor authentication or granular access token with bypass 2fa enabled is required to publish packages.'
    }
  },
  forbidden: {
    kind: 'status',
    status: 403,
    body: {
      error: 'You do not have permission to publish "%s". Are you logged in as the correct user?'
    }
  },
  otp: {
    kind: 'status',
    status: 401,
    headers: { 'www-authenticate': 'OTP' },
    body: {
      error:
        'You must provide a one-time pass. Upgrade your client to npm@latest in order to use 2FA.'
    }
  },
  ipAddress: {
    kind: 'status',
    status: 401,
    headers: { 'www-authenticate': 'ipaddress' },
    body: { error: 'Login is not allowed from your IP address' }
  },
  unauthorized: { kind: 'status', status: 401, body: { error: 'Unauthorized' } },
  unprocessable: {
    kind: 'status',
    status: 422,
    body: { error: 'Invalid package document: version "1.0.0" is missing dist.tarball' }
  },
  provenance: {
    kind: 'status',
    status: 422,
    body: {
      error:
        'Error verifying sigstore provenance bundle: Unsupported GitHub Actions runner environment: "self-hosted". Only "github-hosted" runners are supported when publishing with provenance.'
    }
  },
  serverError: { kind: 'status', status: 500, body: { error: 'Internal Server Error' } },
  unavailable: { kind: 'status', status: 503, body: { error: 'Service Unavailable' } },
  tooMany: {
    kind: 'status',
    status: 429,
    headers: { 'retry-after': '1' },
    body: { error: 'Too Many Requests' }
  },
  /** The upload landed, but the answer says conflict (what a retried PUT sees after a lost 201). */
  conflictAfterStore: {
    kind: 'status',
    status: 409,
    store: true,
    body: { error: 'Cannot publish over existing version' }
  },
  reset: { kind: 'reset', store: true },
  resetBeforeStore: { kind: 'reset', store: false },
  stall: { kind: 'stall', store: false }
} satisfies Record<string, PutBehaviour>

/** How `/-/whoami` answers. */
export type WhoamiMode =
  | { kind: 'ok'; username: string }
  | { kind: 'unauthorized' }
  | { kind: 'ipaddress' }
  | { kind: 'anonymous' }

/** How the token list answers. */
export interface TokenListScript {
  /** 'list': paged entries; 'forbidden': 403; 'unauthorized': 401. */
  mode: 'list' | 'forbidden' | 'unauthorized'
  entries: object[]
  /** Server-side page size; the client's perPage is ignored when set (so paging can be forced). */
  pageSize?: number
  /** `urls.next` for the page after `page` (0-based); default `/-/npm/v1/tokens?page=N&perPage=S`. */
  next?: (page: number, pageCount: number) => string | undefined
}

export interface FakeRegistryOptions {
  /** The real token the tests use: marks `tokenSent` and is what a Bearer must carry for whoami. */
  token?: string
  username?: string
}

export interface PackumentVersion {
  name: string
  version: string
  dist: { integrity?: string; shasum?: string; tarball?: string }
  [key: string]: unknown
}

export interface Packument {
  _id: string
  name: string
  'dist-tags': Record<string, string>
  versions: Record<string, PackumentVersion>
  time: Record<string, string>
}

/** The body of npm's `PUT /<name>`. */
export interface PublishDocument {
  _id?: string
  name?: string
  'dist-tags'?: Record<string, string>
  versions?: Record<string, { dist?: { integrity?: string; shasum?: string; tarball?: string } }>
  _attachments?: Record<string, { content_type?: string; data?: string; length?: number }>
  access?: string
}

/** A scriptable fake npm registry. Construct with `await FakeRegistry.start()`. */
export class FakeRegistry {
  readonly url: string
  readonly port: number
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = []
  /** Every publish PUT, in arrival order (also in `requests`). */
  readonly puts: RecordedPut[] = []
  /** Every dist-tag PUT, in arrival order (also in `requests`). */
  readonly distTagPuts: RecordedDistTag[] = []
  /** Stored packages by name. */
  readonly packages = new Map<string, Packument>()
  /** How many times each `name@version` was written: anything but 1 means a double publish. */
  readonly stores = new Map<string, number>()
  /** Tarballs by `name@version`. */
  readonly tarballs = new Map<string, Buffer>()

  whoamiMode: WhoamiMode
  tokenList: TokenListScript = { mode: 'list', entries: [] }
  readonly token: string | undefined

  private readonly server: http.Server
  private readonly sockets = new Set<Socket>()
  private readonly getFaults = new Map<Route, Scripted<GetFault>[]>()
  private readonly putQueue: Scripted<PutBehaviour>[] = []
  private readonly distTagQueue: Scripted<DistTagAnswer>[] = []
  private readonly started = performance.now()

  private constructor(server: http.Server, options: FakeRegistryOptions) {
    this.server = server
    this.token = options.token
    this.whoamiMode = { kind: 'ok', username: options.username ?? 'ci-bot' }
    const address = server.address() as AddressInfo
    this.port = address.port
    this.url = `http://127.0.0.1:${address.port}/`
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    server.on('request', (req, res) => {
      this.handle(req, res).catch(() => res.socket?.destroy())
    })
  }

  /** Starts a fake on 127.0.0.1 with a free port. */
  static async start(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
    const server = http.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    return new FakeRegistry(server, options)
  }

  /** Stops listening and destroys every open connection (stalled ones included). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    for (const socket of this.sockets) socket.destroy()
    await closed
  }

  // --- scripting -------------------------------------------------------------------------

  /** Called at each PUT, before it is answered (to script what follows it). */
  onPut?: (put: RecordedPut) => void

  /** The next `times` GETs on `route` answer with `fault` (then normally). `Infinity` = always. */
  failGet(route: Route, fault: GetFault, times = 1): this {
    const queue = this.getFaults.get(route) ?? []
    queue.push({ item: fault, left: times })
    this.getFaults.set(route, queue)
    return this
  }

  /** Ends the scripted faults of `route`'s GETs. */
  clearGetFaults(route: Route): this {
    this.getFaults.delete(route)
    return this
  }

  /** The next `times` PUTs behave as `behaviour` (then as scripted next, or succeed). `Infinity` = always. */
  scriptPut(behaviour: PutBehaviour, times = 1): this {
    this.putQueue.push({ item: behaviour, left: times })
    return this
  }

  /** The next `times` dist-tag PUTs are answered `answer` and change nothing. `Infinity` = always. */
  scriptDistTag(answer: DistTagAnswer, times = 1): this {
    this.distTagQueue.push({ item: answer, left: times })
    return this
  }

  /** Puts a version in storage as if published earlier (with the given tarball bytes or integrity). */
  seedVersion(name: string, version: string, dist: { integrity?: string; tarball?: Buffer }): this {
    const integrity = dist.tarball ? integrityOf(dist.tarball) : dist.integrity
    const shasum = dist.tarball
      ? crypto.createHash('sha1').update(dist.tarball).digest('hex')
      : undefined
    this.storeVersion(name, version, { integrity, shasum }, { latest: version }, dist.tarball)
    return this
  }

  /** Moves every publish time of `name` `ms` into the past (a version an earlier run published). */
  backdate(name: string, ms: number): this {
    const doc = this.packages.get(name)
    for (const [key, value] of Object.entries(doc?.time ?? {})) {
      doc!.time[key] = new Date(Date.parse(value) - ms).toISOString()
    }
    return this
  }

  /** Requests served by `route` (optionally by method). */
  requestsTo(route: Route, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route && (!method || r.method === method))
  }

  /** Versions stored for a package. */
  versionsOf(name: string): string[] {
    return Object.keys(this.packages.get(name)?.versions ?? {})
  }

  // --- serving ---------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const url = req.url ?? '/'
    const pathname = url.split('?')[0]
    const route = routeOf(method, pathname)
    const authorization = req.headers['authorization']
    const record: RecordedRequest = {
      method,
      url,
      route,
      name: packageNameOf(route, pathname),
      headers: req.headers,
      tokenSent: this.token !== undefined && authorization === `Bearer ${this.token}`,
      authorization,
      userAgent: String(req.headers['user-agent'] ?? ''),
      at: performance.now() - this.started
    }
    const body = await readBody(req)
    if (route === 'dist-tag') return this.distTag(record, pathname, body, res)
    if (method === 'PUT' && route === 'publish') {
      const put: RecordedPut = { ...record, stored: false }
      this.requests.push(put)
      this.puts.push(put)
      this.publish(put, body, res)
      return
    }
    this.requests.push(record)
    if (method !== 'GET' && method !== 'HEAD') {
      this.answer(record, res, 405, { error: 'method not allowed' })
      return
    }
    const fault = this.nextFault(route)
    if (fault && this.fault(record, res, fault)) return
    switch (route) {
      case 'whoami':
        return this.whoami(record, res)
      case 'tokens':
        return this.tokens(record, res)
      case 'packument':
        return this.packument(record, res)
      case 'tarball':
        return this.tarball(record, pathname, res)
      default:
        return this.answer(record, res, 404, { error: 'Not found' })
    }
  }

  private nextFault(route: Route): GetFault | undefined {
    return take(this.getFaults.get(route))
  }

  /** Applies a GET fault; false when it is a pass-through. */
  private fault(record: RecordedRequest, res: http.ServerResponse, fault: GetFault): boolean {
    switch (fault.kind) {
      case 'status':
        this.answer(
          record,
          res,
          fault.status,
          fault.body ?? { error: `HTTP ${fault.status}` },
          fault.headers
        )
        return true
      case 'malformed':
        record.outcome = 200
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"name": "truncated", "versions": {')
        return true
      case 'stall':
        record.outcome = 'stall'
        return true
      case 'reset':
        record.outcome = 'reset'
        res.socket?.destroy()
        return true
      case 'endless': {
        record.outcome = 200
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"name": "endless", "padding": "')
        const chunk = Buffer.alloc(64 * 1024, 'a')
        const pump = (): void => {
          while (!res.destroyed) {
            if (!res.write(chunk)) {
              res.once('drain', pump)
              return
            }
          }
        }
        pump()
        return true
      }
    }
  }

  private whoami(record: RecordedRequest, res: http.ServerResponse): void {
    const mode = this.whoamiMode
    if (mode.kind === 'ipaddress') {
      return this.answer(
        record,
        res,
        401,
        { error: 'Login is not allowed from your IP address' },
        {
          'www-authenticate': 'ipaddress'
        }
      )
    }
    if (mode.kind === 'unauthorized' || !record.authorization) {
      return this.answer(
        record,
        res,
        401,
        { error: 'Unauthorized' },
        {
          'www-authenticate': 'Bearer realm="npm"'
        }
      )
    }
    if (mode.kind === 'anonymous') return this.answer(record, res, 200, {})
    this.answer(record, res, 200, { username: mode.username })
  }

  private tokens(record: RecordedRequest, res: http.ServerResponse): void {
    const script = this.tokenList
    if (script.mode === 'forbidden') {
      return this.answer(record, res, 403, {
        error: 'This endpoint requires a session token (npmSessionToken)'
      })
    }
    if (script.mode === 'unauthorized' || !record.authorization) {
      return this.answer(record, res, 401, { error: 'Unauthorized' })
    }
    const query = new URLSearchParams(record.url.split('?')[1] ?? '')
    const page = Math.max(0, Number(query.get('page') ?? 0) || 0)
    const size = script.pageSize ?? Math.max(1, Number(query.get('perPage') ?? 10) || 10)
    const pageCount = Math.max(1, Math.ceil(script.entries.length / size))
    const objects = script.entries.slice(page * size, (page + 1) * size)
    const next = script.next
      ? script.next(page, pageCount)
      : page + 1 < pageCount
        ? `/-/npm/v1/tokens?page=${page + 1}&perPage=${size}`
        : ''
    this.answer(record, res, 200, {
      objects,
      total: script.entries.length,
      urls: {
        next: next ?? '',
        prev: page > 0 ? `/-/npm/v1/tokens?page=${page - 1}&perPage=${size}` : ''
      }
    })
  }

  private distTag(
    record: RecordedRequest,
    pathname: string,
    body: Buffer,
    res: http.ServerResponse
  ): void {
    const tag = decodeURIComponent(/\/dist-tags\/([^/]+)$/.exec(pathname)?.[1] ?? '')
    const doc = record.name ? this.packages.get(record.name) : undefined
    if (record.method === 'GET' && !tag) {
      this.requests.push(record)
      if (!doc) return this.answer(record, res, 404, { error: 'Not found' })
      return this.answer(record, res, 200, doc['dist-tags'])
    }
    if (record.method !== 'PUT' || !tag) {
      this.requests.push(record)
      return this.answer(record, res, 405, { error: 'method not allowed' })
    }
    let version: unknown
    try {
      version = JSON.parse(body.toString('utf8'))
    } catch {
      version = undefined
    }
    const put: RecordedDistTag = {
      ...record,
      tag,
      version: typeof version === 'string' ? version : undefined,
      applied: false
    }
    this.requests.push(put)
    this.distTagPuts.push(put)
    const scripted = take(this.distTagQueue)
    if (scripted) {
      return this.answer(put, res, scripted.status, scripted.body ?? {}, scripted.headers)
    }
    if (!put.authorization) return this.answer(put, res, 401, { error: 'Unauthorized' })
    if (!doc || !put.version || !doc.versions[put.version]) {
      return this.answer(put, res, 404, { error: 'Not found' })
    }
    doc['dist-tags'][tag] = put.version
    put.applied = true
    this.answer(put, res, 201, { ok: 'package tagged' })
  }

  private packument(record: RecordedRequest, res: http.ServerResponse): void {
    const doc = record.name ? this.packages.get(record.name) : undefined
    if (!doc) return this.answer(record, res, 404, { error: 'Not found' })
    this.answer(record, res, 200, doc)
  }

  private tarball(record: RecordedRequest, pathname: string, res: http.ServerResponse): void {
    const name = record.name ?? ''
    const file = decodeURIComponent(pathname.split('/-/')[1] ?? '')
    const version = Object.keys(this.packages.get(name)?.versions ?? {}).find(
      (v) => file === `${name.split('/').pop()}-${v}.tgz`
    )
    const data = version && this.tarballs.get(`${name}@${version}`)
    if (!data) return this.answer(record, res, 404, { error: 'Not found' })
    record.outcome = 200
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': data.length
    })
    res.end(data)
  }

  private publish(put: RecordedPut, body: Buffer, res: http.ServerResponse): void {
    let doc: PublishDocument | undefined
    try {
      doc = JSON.parse(body.toString('utf8')) as PublishDocument
    } catch {
      doc = undefined
    }
    put.document = doc
    const name = put.name ?? doc?.name ?? ''
    const version = Object.keys(doc?.versions ?? {})[0]
    put.version = version
    put.claimedIntegrity = version ? doc?.versions?.[version]?.dist?.integrity : undefined
    const attachment = Object.values(doc?._attachments ?? {})[0]
    const tarball = attachment?.data ? Buffer.from(attachment.data, 'base64') : undefined
    put.integrity = tarball ? integrityOf(tarball) : undefined

    const behaviour: PutBehaviour = take(this.putQueue) ?? { kind: 'ok' }
    this.onPut?.(put)

    const store = (): boolean => {
      if (!doc || !version || !tarball) return false
      if (this.packages.get(name)?.versions[version]) return false
      const shasum = crypto.createHash('sha1').update(tarball).digest('hex')
      const tarballUrl = `${this.url}${name}/-/${name.split('/').pop()}-${version}.tgz`
      this.storeVersion(
        name,
        version,
        { integrity: put.integrity, shasum, tarball: tarballUrl },
        doc['dist-tags'] ?? {},
        tarball
      )
      put.stored = true
      return true
    }

    if (!doc || !version || !tarball) {
      return this.answer(put, res, 400, { error: 'Bad publish document' })
    }
    switch (behaviour.kind) {
      case 'ok': {
        if (this.packages.get(name)?.versions[version]) {
          return this.answer(put, res, 409, {
            error: `Cannot publish over previously published version "${version}".`
          })
        }
        store()
        return this.answer(put, res, behaviour.status ?? 201, { ok: true, id: name })
      }
      case 'status':
        if (behaviour.store) store()
        return this.answer(
          put,
          res,
          behaviour.status,
          withName(behaviour.body ?? {}, name),
          behaviour.headers
        )
      case 'reset':
        if (behaviour.store ?? true) store()
        put.outcome = 'reset'
        res.socket?.destroy()
        return
      case 'stall':
        if (behaviour.store) store()
        put.outcome = 'stall'
        return
    }
  }

  private storeVersion(
    name: string,
    version: string,
    dist: PackumentVersion['dist'],
    tags: Record<string, string>,
    tarball?: Buffer
  ): void {
    const doc: Packument = this.packages.get(name) ?? {
      _id: name,
      name,
      'dist-tags': {},
      versions: {},
      time: { created: new Date().toISOString() }
    }
    doc.versions[version] = { name, version, dist }
    Object.assign(doc['dist-tags'], tags)
    doc.time[version] = new Date().toISOString()
    doc.time['modified'] = doc.time[version]
    this.packages.set(name, doc)
    if (tarball) this.tarballs.set(`${name}@${version}`, tarball)
    const id = `${name}@${version}`
    this.stores.set(id, (this.stores.get(id) ?? 0) + 1)
  }

  private answer(
    record: RecordedRequest,
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void {
    record.outcome = status
    const text = JSON.stringify(body)
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers
    })
    res.end(record.method === 'HEAD' ? undefined : text)
  }
}

/** A scripted behaviour and how many more requests it applies to. */
interface Scripted<T> {
  item: T
  left: number
}

function take<T>(queue: Scripted<T>[] | undefined): T | undefined {
  const head = queue?.[0]
  if (!queue || !head) return undefined
  head.left--
  if (head.left <= 0) queue.shift()
  return head.item
}

/** `%s` in the body's string values → the package name. */
function withName(body: unknown, name: string): unknown {
  if (typeof body !== 'object' || body === null) return body
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      typeof value === 'string' ? value.replaceAll('%s', name) : value
    ])
  )
}

function routeOf(method: string, pathname: string): Route {
  if (pathname === '/-/whoami') return 'whoami'
  if (pathname === '/-/npm/v1/tokens') return 'tokens'
  if (/^\/-\/package\/[^/]+(\/[^/]+)?\/dist-tags(\/[^/]+)?$/.test(pathname)) return 'dist-tag'
  if (pathname.startsWith('/-/')) return 'other'
  if (/\/-\/[^/]+\.tgz$/.test(pathname)) return 'tarball'
  if (method === 'PUT') return 'publish'
  return 'packument'
}

/**
 * `/@scope%2fname`, `/@scope/name`, `/name`, `/name/-/file.tgz` and
 * `/-/package/<name>/dist-tags[/<tag>]` → the package name.
 */
function packageNameOf(route: Route, pathname: string): string | undefined {
  if (route === 'dist-tag') {
    const raw = /^\/-\/package\/(.+)\/dist-tags(\/[^/]+)?$/.exec(pathname)?.[1] ?? ''
    return decodeURIComponent(raw)
  }
  if (route !== 'packument' && route !== 'publish' && route !== 'tarball') return undefined
  const bare = decodeURIComponent(pathname.slice(1).split('/-/')[0])
  return bare.replace(/\/$/, '')
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', () => resolve(Buffer.concat(chunks)))
  })
}

export function integrityOf(data: Buffer): string {
  return `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`
}

// --- tokens and token-list entries -------------------------------------------------------

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** An npm-shaped granular token: `npm_` + 36 base62 characters (random, test-only). */
export function fakeToken(): string {
  const bytes = crypto.randomBytes(36)
  let body = ''
  for (const byte of bytes) body += BASE62[byte % 62]
  return `npm_${body}`
}

/** npmjs's redacted form: the first 8 characters (`npm_` included) + `...` + the last 4. */
export function redactToken(token: string): string {
  return `${token.slice(0, 8)}...${token.slice(-4)}`
}

/** One token-list entry in the 2026 npmjs granular schema, for `token`. */
export function tokenEntry(
  token: string,
  overrides: Partial<{
    name: string
    description: string | null
    key: string
    cidr: string[] | null
    permissions: { name: string; action: string }[]
    scopes: { type: string; name: string }[]
    expiry: string | null
    revoked: string | null
    bypass_2fa: boolean
    readonly: boolean
  }> = {}
): Record<string, unknown> {
  const now = Date.now()
  return {
    name: 'ci-publish',
    description: 'Publish from GitHub Actions',
    key: crypto.randomUUID(),
    token: redactToken(token),
    expiry: new Date(now + 60 * 86_400_000).toISOString(),
    cidr: [],
    bypass_2fa: true,
    revoked: null,
    created: new Date(now - 30 * 86_400_000).toISOString(),
    updated: new Date(now - 30 * 86_400_000).toISOString(),
    accessed: new Date(now - 86_400_000).toISOString(),
    permissions: [{ name: 'package', action: 'write' }],
    scopes: [],
    ...overrides
  }
}

/** `n` entries for other tokens of the same account (never matching a `fakeToken()`). */
export function otherEntries(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    tokenEntry(fakeToken(), {
      name: `other-${i}`,
      permissions: [{ name: 'package', action: 'read' }]
    })
  )
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
