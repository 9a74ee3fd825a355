// Loopback servers for the hardening tests: a recording "evil" server (registry, forward proxy and
// CONNECT target at once: whatever reaches it is recorded, nothing is forwarded) and a reverse
// proxy in front of a registry that can hold or swallow the PUT. 127.0.0.1 only; every test
// closes what it starts.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One request that reached a recording server. */
export interface Seen {
  method: string
  /** As sent: a path, or an absolute URL when it was used as a forward proxy, or host:port for CONNECT. */
  url: string
  authorization?: string
  /** Every header value, joined, for token scans. */
  headers: string
}

abstract class Listening {
  url = ''
  port = 0
  protected readonly sockets = new Set<Socket>()
  protected abstract server: http.Server

  protected async listen(): Promise<void> {
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', () => resolve())
    })
    this.port = (this.server.address() as AddressInfo).port
    this.url = `http://127.0.0.1:${this.port}/`
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    for (const socket of this.sockets) socket.destroy()
    await closed
  }
}

/**
 * A server that should never hear from the action: as a registry (GET → 404, PUT → 201, whoami →
 * a user), as a forward proxy (absolute-URL requests) and as a CONNECT proxy (refused after
 * recording). Forwards nothing.
 */
export class EvilServer extends Listening {
  readonly seen: Seen[] = []
  protected server = http.createServer((req, res) => {
    this.record(req.method ?? '', req.url ?? '', req.headers)
    req.resume()
    req.on('end', () => {
      const path = (req.url ?? '').replace(/^https?:\/\/[^/]+/, '')
      const [status, body] =
        req.method === 'PUT'
          ? [201, { ok: true }]
          : path === '/-/whoami'
            ? [200, { username: 'evil' }]
            : [404, { error: 'Not found' }]
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
  })

  static async start(): Promise<EvilServer> {
    const evil = new EvilServer()
    evil.server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
      evil.record('CONNECT', req.url ?? '', req.headers)
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')
    })
    await evil.listen()
    return evil
  }

  /** The host:port form npm's proxy agents and .npmrc auth lines use. */
  get host(): string {
    return `127.0.0.1:${this.port}`
  }

  private record(method: string, url: string, headers: http.IncomingHttpHeaders): void {
    this.seen.push({
      method,
      url,
      authorization: headers.authorization,
      headers: Object.values(headers).flat().join('\n')
    })
  }

  /** What reached it carrying `token` anywhere in its headers or URL. */
  withToken(token: string): Seen[] {
    return this.seen.filter((s) => s.headers.includes(token) || s.url.includes(token))
  }
}

/** What the holding proxy does with a PUT. */
export interface PutHold {
  /** Called when a PUT arrived (its body read), before it is forwarded. */
  onPut?: () => void | Promise<void>
  /** Wait this long before forwarding it. */
  holdMs?: number
  /** Never forward or answer it (the action is signalled while npm waits). */
  swallow?: boolean
}

/** A reverse proxy to `upstream` (a registry) that records requests and can hold the PUT. */
export class HoldingProxy extends Listening {
  readonly seen: Seen[] = []
  /** What `hold.onPut` threw (a test checks it is empty). */
  readonly errors: unknown[] = []
  hold: PutHold = {}
  protected server = http.createServer((req, res) => void this.handle(req, res))

  private readonly upstream: string

  private constructor(upstream: string) {
    super()
    this.upstream = upstream
  }

  static async start(upstream: string): Promise<HoldingProxy> {
    const proxy = new HoldingProxy(upstream)
    await proxy.listen()
    return proxy
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      headers: Object.values(req.headers).flat().join('\n')
    })
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    if (req.method === 'PUT') {
      const hold = this.hold
      try {
        await hold.onPut?.()
      } catch (error) {
        this.errors.push(error)
      }
      if (hold.swallow) return
      if (hold.holdMs) await new Promise((resolve) => setTimeout(resolve, hold.holdMs))
    }
    const headers = { ...req.headers, host: new URL(this.upstream).host }
    const upstream = http.request(
      new URL(req.url ?? '/', this.upstream),
      { method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.socket?.destroy())
    upstream.end(body)
  }
}

/** A one-route-at-a-time scripted server: `answer(req)` decides each response. */
export class ScriptedServer extends Listening {
  readonly seen: Seen[] = []
  protected server = http.createServer((req, res) => {
    this.seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      headers: Object.values(req.headers).flat().join('\n')
    })
    req.resume()
    req.on('end', () => this.answer(req, res))
  })

  private readonly answer: (req: http.IncomingMessage, res: http.ServerResponse) => void

  private constructor(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
    super()
    this.answer = answer
  }

  static async start(
    answer: (req: http.IncomingMessage, res: http.ServerResponse) => void
  ): Promise<ScriptedServer> {
    const server = new ScriptedServer(answer)
    await server.listen()
    return server
  }
}
