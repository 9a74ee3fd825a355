// A real registry for the tests, the demo and the benchmark: Verdaccio in a child process on
// loopback, with helpers for its user and token APIs.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'verdaccio-server.mjs')

/**
 * Starts Verdaccio; resolves once it listens.
 * @param {object} [extraConfig] merged into the Verdaccio config
 */
export async function startVerdaccio(extraConfig) {
  const child = spawn(process.execPath, [SERVER], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VERDACCIO_EXTRA_CONFIG: extraConfig ? JSON.stringify(extraConfig) : '' }
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const port = await new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error(`Verdaccio did not start: ${stderr}`)), 30000)
    child.stdout.on('data', (chunk) => {
      buffered += chunk
      const line = buffered.split('\n').find((l) => l.startsWith('{"port"'))
      if (line) {
        clearTimeout(timer)
        resolve(JSON.parse(line).port)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Verdaccio exited with ${code}: ${stderr}`))
    })
  })
  child.stdout.resume()
  return new Verdaccio(child, port)
}

export class Verdaccio {
  /** @param {import('node:child_process').ChildProcess} child @param {number} port */
  constructor(child, port) {
    this.child = child
    this.port = port
    this.url = `http://127.0.0.1:${port}/`
  }

  /** Stops the server this helper started (by its own process handle) and waits for it to exit. */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.kill('SIGTERM')
    await exited
  }

  async api(method, route, { token, body, headers } = {}) {
    const response = await fetch(new URL(route, this.url), {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await response.text()
    let json
    try {
      json = JSON.parse(text)
    } catch {
      json = text
    }
    return { status: response.status, body: json }
  }

  /** Creates a user (what `npm adduser` does); returns its login token. */
  async createUser(name, password) {
    const { status, body } = await this.api('PUT', `-/user/org.couchdb.user:${name}`, {
      body: {
        _id: `org.couchdb.user:${name}`,
        name,
        password,
        type: 'user',
        roles: [],
        date: new Date().toISOString()
      }
    })
    if (status !== 201) throw new Error(`createUser ${name}: ${status} ${JSON.stringify(body)}`)
    return body.token
  }

  /**
   * Creates an API token through the token API (real readonly / CIDR tokens).
   * @returns {Promise<{token: string, key: string}>}
   */
  async createToken(loginToken, password, { readonly = false, cidr = [] } = {}) {
    const { status, body } = await this.api('POST', '-/npm/v1/tokens', {
      token: loginToken,
      body: { password, readonly, cidr_whitelist: cidr }
    })
    if (status !== 200) throw new Error(`createToken: ${status} ${JSON.stringify(body)}`)
    return { token: body.token, key: body.key }
  }

  async deleteToken(loginToken, key) {
    const { status } = await this.api('DELETE', `-/npm/v1/tokens/token/${key}`, {
      token: loginToken
    })
    if (status !== 200) throw new Error(`deleteToken: ${status}`)
  }

  /** The full packument, or undefined (404). */
  async packument(name) {
    const { status, body } = await this.api('GET', name.replace('/', '%2f'))
    return status === 200 ? body : undefined
  }
}
