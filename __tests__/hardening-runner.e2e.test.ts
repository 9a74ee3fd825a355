/**
 * Issue 13, classes 4, 5 and 13: what other processes of the runner's user can read of the token
 * while the step runs (the action's own /proc environ, in main and in post; the publishing npm's
 * environ and command line, watched by processes a lifecycle script leaves behind), and a job
 * cancelled mid-upload; and (Low, classes 10 and 11) the runner's own files broken, and a post
 * step handed a state value that is not its private dir. Through dist/, as the runner runs it,
 * against the scripted fake registry behind a proxy that can hold the PUT.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  ACTION,
  ROOT,
  actionManifest,
  makeSandbox,
  removeSandboxes,
  runAction,
  runStep,
  writePackage,
  type Sandbox
} from '../scripts/lib/runner.mjs'
import { FakeRegistry, fakeToken } from './helpers/fake-registry.js'
import { findLeaks, leakForms, leftovers, runSources } from './helpers/leaks.js'
import { HoldingProxy } from './helpers/loopback.js'
import {
  cmdlineOf,
  descendantsOf,
  environOf,
  isAlive,
  killAfter,
  killPidFrom
} from './helpers/procs.js'

const exec = promisify(execFile)
const token = fakeToken()
let fake: FakeRegistry
let proxy: HoldingProxy

beforeAll(async () => {
  fake = await FakeRegistry.start({ token })
  proxy = await HoldingProxy.start(fake.url)
})

afterAll(async () => {
  await proxy.close()
  await fake.close()
  removeSandboxes()
})

const ENV = { NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '5000' }

const hasToken = (data: Buffer | string): boolean =>
  leakForms(token).some((form) => Buffer.from(data).includes(form))

describe("the token is not in the action's own /proc/<pid>/environ (class 4)", () => {
  it('a prepack script that finds the action process reads no token from its environ', async () => {
    const sandbox = makeSandbox()
    const loot = path.join(sandbox.root, 'loot.json')
    // Up the parent chain to the node process running dist/index.js; /proc scanned as a fallback.
    const hunt = `
const fs = require('fs')
const parent = (pid) => { try { const s = fs.readFileSync('/proc/' + pid + '/stat', 'utf8'); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) } catch { return 0 } }
const cmdline = (pid) => { try { return fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0').join(' ') } catch { return '' } }
const isAction = (pid) => cmdline(pid).includes(${JSON.stringify(ACTION)})
let pid = process.ppid
while (pid > 1 && !isAction(pid)) pid = parent(pid)
if (!isAction(pid)) pid = Number(fs.readdirSync('/proc').find((p) => /^\\d+$/.test(p) && isAction(p)) || 0)
const environ = pid ? fs.readFileSync('/proc/' + pid + '/environ').toString('latin1') : ''
fs.writeFileSync(${JSON.stringify(loot)}, JSON.stringify({ pid, environ }))
`
    writePackage(
      path.join(sandbox.workspace, 'pkg'),
      { name: 'env-own-main', version: '1.0.0', scripts: { prepack: 'node hunt.js' } },
      { 'hunt.js': hunt }
    )
    let actionPid: number | undefined
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pkg' },
      sandbox,
      env: ENV,
      onMainStart: (child) => (actionPid = child.pid)
    })
    expect(run.outputs['published']).toBe('true')
    const { pid, environ } = JSON.parse(fs.readFileSync(loot, 'utf8')) as {
      pid: number
      environ: string
    }
    expect(pid).toBe(actionPid) // the hunt found the action...
    expect(environ).toContain('INPUT_PACKAGE=pkg') // ...and could read its environment block
    expect(environ).toContain('INPUT_TOKEN=') // the variable is there, its value overwritten
    expect(hasToken(environ)).toBe(false)
    expect(run.main.stdout).toMatch(
      /::debug::Scrubbed INPUT_TOKEN from the initial environment in [\d.]+ ms\./
    )
    expect(findLeaks(token, runSources(run))).toEqual([])
  })

  it("the post step's environ holds no token once it runs (read while it is held at exit)", async () => {
    const sandbox = makeSandbox()
    const marker = path.join(sandbox.root, 'post-exiting')
    // Preloaded into both steps; only the post step waits at exit, so its environ can be read.
    const hold = path.join(sandbox.root, 'hold.cjs')
    fs.writeFileSync(
      hold,
      `const fs = require('fs')
if ((process.argv[1] || '').includes('/post/')) process.on('exit', () => {
  fs.writeFileSync(${JSON.stringify(marker)}, String(process.pid))
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000)
})
`
    )
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'env-own-post', version: '1.0.0' })
    let environ: Buffer | undefined
    let stop = false
    const watch = (async () => {
      while (!stop && environ === undefined) {
        if (fs.existsSync(marker)) environ = environOf(Number(fs.readFileSync(marker, 'utf8')))
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    })()
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pkg' },
      sandbox,
      env: { ...ENV, NODE_OPTIONS: `--require ${hold}` }
    })
    stop = true
    await watch
    expect(run.post?.exitCode).toBe(0)
    expect(environ?.toString('latin1')).toContain('INPUT_PACKAGE=pkg')
    expect(hasToken(environ ?? Buffer.alloc(0))).toBe(false)
  })
})

describe("the publishing npm's environment, watched by leftovers of a lifecycle script (class 5)", () => {
  /**
   * A watcher a prepack script leaves behind: every 10 ms it reads /proc/<pid>/environ and
   * cmdline of every process, notes any that hold the token, and what else it can see (the
   * private dir, its .npmrc, npm's command line); it writes a report after each pass. It stops by
   * itself once the private dir is gone (or after 60 s).
   */
  function watcher(runnerTemp: string, report: string, pidFile: string): string {
    return `
const fs = require('fs'), path = require('path')
fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid))
const forms = ${JSON.stringify(leakForms(token))}.map((f) => Buffer.from(f))
const state = { pid: process.pid, passes: 0, hits: [], sawPrivateDir: false, npmrc: '', npmCmdlines: [], last: 0 }
const started = Date.now()
const pass = () => {
  state.passes++
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(p) || Number(p) === process.pid) continue
    for (const file of ['environ', 'cmdline']) {
      let data
      try { data = fs.readFileSync('/proc/' + p + '/' + file) } catch { continue }
      if (forms.some((f) => data.includes(f))) {
        const hit = p + '/' + file + ' (' + String(fs.readFileSync('/proc/' + p + '/cmdline')).split('\0').join(' ').trim().slice(0, 80) + ')'
        if (!state.hits.includes(hit)) state.hits.push(hit)
      }
      if (file === 'cmdline') {
        const text = data.toString().split('\\0').join(' ')
        if (/npm publish/.test(text) && !state.npmCmdlines.includes(text)) state.npmCmdlines.push(text)
      }
    }
  }
  const dirs = fs.readdirSync(${JSON.stringify(runnerTemp)}).filter((n) => n.startsWith('npm-automation-publish-'))
  for (const d of dirs) {
    state.sawPrivateDir = true
    try { const t = fs.readFileSync(path.join(${JSON.stringify(runnerTemp)}, d, '.npmrc'), 'utf8'); if (t.includes('=')) state.npmrc = t } catch {}
  }
  state.last = Date.now()
  fs.writeFileSync(${JSON.stringify(report)}, JSON.stringify(state))
  if ((state.sawPrivateDir && dirs.length === 0) || Date.now() - started > 60000) return
  setTimeout(pass, 10)
}
pass()
`
  }

  /** The script waits for the watcher's first report, so it is running when the script ends. */
  const waitFor = (report: string): string => `while [ ! -s '${report}' ]; do sleep 0.02; done`

  interface WatchReport {
    pid: number
    passes: number
    hits: string[]
    sawPrivateDir: boolean
    npmrc: string
    npmCmdlines: string[]
    last: number
  }

  it("a setsid leftover is killed before the publish; npm's environ and command line hold no token or runner secret", async () => {
    const sandbox = makeSandbox()
    const report = path.join(sandbox.root, 'watch.json')
    const pidFile = path.join(sandbox.root, 'watch.pid')
    writePackage(
      path.join(sandbox.workspace, 'pkg'),
      {
        name: 'env-npm-setsid',
        version: '1.0.0',
        scripts: {
          prepack: `setsid node watch.js > /dev/null 2>&1 < /dev/null & ${waitFor(report)}`
        }
      },
      { 'watch.js': watcher(sandbox.runnerTemp, report, pidFile) }
    )
    let action: ChildProcess | undefined
    let duringPut:
      | {
          watcherAlive: boolean
          npm: { pid: number; cmdline: string; environ: Buffer }[]
          at: number
        }
      | undefined
    proxy.hold = {
      holdMs: 1000,
      onPut: () => {
        const pids = descendantsOf(action?.pid ?? -1)
        duringPut = {
          watcherAlive: isAlive(Number(fs.readFileSync(pidFile, 'utf8'))),
          npm: pids.map((pid) => ({ pid, cmdline: cmdlineOf(pid), environ: environOf(pid) })),
          at: Date.now()
        }
      }
    }
    try {
      const run = await runAction({
        inputs: { token, registry: proxy.url, package: 'pkg' },
        sandbox,
        env: {
          ...ENV,
          ACTIONS_RUNTIME_TOKEN: 'runtime-token-5e1d',
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-request-token-7a3c'
        },
        onMainStart: (child) => (action = child)
      })
      expect(run.outputs['published']).toBe('true')
      const watched = JSON.parse(fs.readFileSync(report, 'utf8')) as WatchReport
      expect(watched.hits).toEqual([])
      const seen = duringPut as NonNullable<typeof duringPut>
      expect(seen.watcherAlive).toBe(false)
      expect(run.main.stdout).toMatch(/Stopped 1 process\(es\) the "prepack" script left running/)
      const npm = seen.npm.filter((p) => /npm publish/.test(p.cmdline))
      expect(npm).toHaveLength(1) // the publishing npm, found while the registry held its PUT
      for (const p of seen.npm) {
        expect(hasToken(p.environ)).toBe(false)
        expect(hasToken(p.cmdline)).toBe(false)
        expect(p.environ.toString('latin1')).not.toMatch(/(^|\0)ACTIONS_/)
      }
      expect(watched.passes).toBeGreaterThan(0) // it did watch...
      expect(watched.sawPrivateDir).toBe(false) // ...and was gone before any credential existed
      expect(watched.last).toBeLessThan(seen.at)
      expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
      expect(proxy.errors).toEqual([])
    } finally {
      proxy.hold = {}
      killPidFrom(pidFile)
    }
  })

  it('an `env -i setsid` leftover escapes the kill: it sees npm run and the private dir, but no token in any environ, command line or file', async () => {
    const sandbox = makeSandbox()
    const report = path.join(sandbox.root, 'watch.json')
    const pidFile = path.join(sandbox.root, 'watch.pid')
    writePackage(
      path.join(sandbox.workspace, 'pkg'),
      {
        name: 'env-npm-escaped',
        version: '1.0.0',
        scripts: {
          prepack: `setsid env -i PATH="$PATH" node watch.js > /dev/null 2>&1 < /dev/null & ${waitFor(report)}`
        }
      },
      { 'watch.js': watcher(sandbox.runnerTemp, report, pidFile) }
    )
    let watcherAlive: boolean | undefined
    proxy.hold = {
      holdMs: 1000,
      onPut: () => {
        watcherAlive = isAlive(Number(fs.readFileSync(pidFile, 'utf8')))
      }
    }
    try {
      const run = await runAction({
        inputs: { token, registry: proxy.url, package: 'pkg' },
        sandbox,
        env: ENV,
        skipPost: true // the post step would start with INPUT_TOKEN in its environ (its first ms)
      })
      expect(run.outputs['published']).toBe('true')
      expect(watcherAlive).toBe(true) // it escaped both the group kill and the marker scan
      // Let it see the private dir go, then read what it saw.
      const deadline = Date.now() + 5000
      let watched = JSON.parse(fs.readFileSync(report, 'utf8')) as WatchReport
      while (isAlive(watched.pid) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        watched = JSON.parse(fs.readFileSync(report, 'utf8')) as WatchReport
      }
      expect(watched.sawPrivateDir).toBe(true) // the 0700 dir is the same user's: readable
      expect(watched.npmrc).toContain('${NPM_AUTOMATION_PUBLISH_TOKEN}') // a placeholder only
      expect(watched.npmCmdlines.length).toBeGreaterThan(0) // it saw npm publish run
      expect(hasToken(watched.npmrc)).toBe(false)
      expect(watched.hits).toEqual([])
      expect(proxy.errors).toEqual([])
    } finally {
      proxy.hold = {}
      killPidFrom(pidFile)
    }
  })
})

describe('a job cancelled mid-upload (class 13)', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)(
    '%s while npm waits on the PUT: exit %i, a CANCELLED annotation, nothing left',
    async (signal, code) => {
      const sandbox = makeSandbox()
      const name = `env-cancel-${signal.toLowerCase()}`
      writePackage(path.join(sandbox.workspace, 'pkg'), { name, version: '1.0.0' })
      let action: ChildProcess | undefined
      proxy.hold = { swallow: true, onPut: () => void action?.kill(signal) }
      try {
        const run = await runAction({
          inputs: { token, registry: proxy.url, package: 'pkg' },
          sandbox,
          env: ENV,
          onMainStart: (child) => (action = child)
        })
        expect(run.main.exitCode).toBe(code)
        expect(run.outputs['error-code']).toBe('CANCELLED')
        const annotation = run.main.stdout.split('\n').find((l) => l.startsWith('::error')) ?? ''
        expect(annotation).toMatch(/^::error title=CANCELLED::/)
        expect(annotation).toMatch(new RegExp(`cancelled \\(${signal}\\)`))
        expect(run.summary).toContain('Cancelled')
        expect(run.post?.exitCode).toBe(0)
        expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
        expect(findLeaks(token, runSources(run))).toEqual([])
      } finally {
        proxy.hold = {}
      }
    }
  )
})

// --- Low (classes 10, 11): the runner's environment, and the post step's state value ------------

describe("the runner's files (class 10)", () => {
  it.each([
    ['RUNNER_TEMP missing', (s: Sandbox) => ({ RUNNER_TEMP: path.join(s.root, 'no-such-dir') })],
    [
      'RUNNER_TEMP a file',
      (s: Sandbox) => {
        fs.writeFileSync(path.join(s.root, 'a-file'), '')
        return { RUNNER_TEMP: path.join(s.root, 'a-file') }
      }
    ],
    [
      'GITHUB_STATE a directory',
      (s: Sandbox) => {
        fs.mkdirSync(path.join(s.root, 'state-dir'))
        return { GITHUB_STATE: path.join(s.root, 'state-dir') }
      }
    ]
  ])('%s: RUNNER_INVALID, nothing sent, nothing left', async (_what, broken) => {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'low-runner', version: '1.0.0' })
    const env = broken(sandbox)
    const before = fake.requests.length
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pkg' },
      sandbox,
      env: { ...ENV, ...env }
    })
    expect(run.outputs['error-code']).toBe('RUNNER_INVALID')
    expect(run.main.stdout).toMatch(/::error title=RUNNER_INVALID::/)
    expect(run.main.stdout).not.toContain('Unexpected error')
    expect(fake.requests.length).toBe(before)
    expect(run.post?.exitCode).toBe(0)
    expect(leftovers(sandbox.runnerTemp)).toEqual([])
    expect(
      fs.readdirSync(sandbox.root).filter((n) => n.startsWith('npm-automation-publish-'))
    ).toEqual([])
  })

  it('GITHUB_STEP_SUMMARY a FIFO: a warning, no hang, the publish goes on', async () => {
    const sandbox = makeSandbox()
    const fifo = path.join(sandbox.root, 'summary-fifo')
    await exec('mkfifo', [fifo])
    writePackage(path.join(sandbox.workspace, 'pkg'), {
      name: 'low-summary-fifo',
      version: '1.0.0'
    })
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pkg' },
      sandbox,
      env: { ...ENV, GITHUB_STEP_SUMMARY: fifo },
      onMainStart: killAfter(30_000)
    })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs['published']).toBe('true')
    expect(run.main.stdout).toContain(`::warning::No job summary: ${fifo} is not a regular file.`)
    expect(leftovers(sandbox.runnerTemp)).toEqual([])
  })
})

describe('the post step follows no symbolic link (class 11)', () => {
  it.each([
    [
      'a symlink named like the private dir',
      (temp: string) => path.join(temp, 'npm-automation-publish-evil')
    ],
    [
      'a path that climbs out of RUNNER_TEMP',
      (temp: string) => path.join(temp, 'npm-automation-publish-x', '..', '..', 'victim')
    ]
  ])('a state value that is %s: left alone, and its target too', async (_what, stateValue) => {
    const sandbox = makeSandbox()
    const victim = path.join(sandbox.root, 'victim')
    fs.mkdirSync(victim)
    fs.writeFileSync(path.join(victim, '.npmrc'), 'keep me\n')
    const link = path.join(sandbox.runnerTemp, 'npm-automation-publish-evil')
    fs.symlinkSync(victim, link)
    const post = path.join(ROOT, actionManifest().runs['post'])
    const run = await runStep(
      {
        PATH: process.env['PATH'],
        HOME: sandbox.home,
        RUNNER_TEMP: sandbox.runnerTemp,
        INPUT_TOKEN: token,
        [`STATE_credentialsDir`]: stateValue(sandbox.runnerTemp)
      },
      sandbox.workspace,
      undefined,
      post
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/::warning::Not removing /)
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
    expect(fs.readFileSync(path.join(victim, '.npmrc'), 'utf8')).toBe('keep me\n')
  })
})
