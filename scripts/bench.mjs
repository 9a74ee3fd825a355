// `npm run bench [-- --rounds N]` (issues #9, #14, #16): the action against what a user would run instead, on
// one real registry, in one run. Verdaccio runs in its own process on loopback, with one user and
// one token; every round publishes a fresh version with each contender, interleaved:
//   (a) bare `npm publish` with a hand-written temporary userconfig and `--registry`;
//   (b) our dist/index.js, main + post as the runner runs them (`token-check: strict`);
//   (c) @jsdevtools/npm-publish (the pinned devDependency), its library `npmPublish()` called from a
//       fresh `node` process, as its action runs it in-process;
//   (d) our action re-run on the version (b) just published, from the directory;
//   (e) the same from a .tgz (made by `npm pack` each round, not timed).
// Then: cold start, peak RSS with a 50 MB package, the token verdict over 1,000 entries, dist/ size.
// Then the workspace section (issue #16; alone with `--only workspaces`): one repo of 8 tiny
// packages in three levels of dependencies, published each round at a fresh version by
//   (ws) our action with `workspaces: true`, one step (main + post);
//   (eight) our action as eight single-package steps, in dependency order (the sum);
//   (npm) `npm publish --workspaces` from the root, with a temporary userconfig;
// each contender on its own copy of the repo (its own scope), interleaved.
// Prints a table, writes .bench/results.json, and ends with one line of the key ratios. Not a test:
// it exits 0 whether the targets are met or not (1 only when a contender fails to do its job).
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import * as tar from 'tar'
import { ROOT, makeSandbox, runAction, writePackage } from './lib/runner.mjs'
import { startVerdaccio } from './lib/verdaccio.mjs'

const { values: flags } = parseArgs({
  options: { rounds: { type: 'string', default: '10' }, only: { type: 'string' } }
})
if (flags.only !== undefined && flags.only !== 'workspaces') {
  console.error(`--only takes "workspaces" (the workspace section alone), got "${flags.only}"`)
  process.exit(2)
}
const ROUNDS = Number(flags.rounds)
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`--rounds must be a positive integer, got "${flags.rounds}"`)
  process.exit(2)
}
/** Repetitions of the side measurements (cold start, verdict end to end). */
const SIDE_RUNS = Math.max(5, ROUNDS)
const BIG_MB = 50
const TOKEN_ENTRIES = 1000

const TARGETS = {
  'b/a': 1.4,
  'b/c': 0.7,
  slowRoundTrips: 2.5,
  'big/a': 1.15,
  'd/a': 1.2,
  'e/a': 0.5,
  postMs: 100,
  coldStartMs: 120,
  distBytes: 1.5 * 1024 * 1024,
  rssMB: 120,
  verdictMs: 100,
  npmFast: 1,
  npmRerunDir: 1,
  npmRerunTgz: 0,
  'ws/eight': 0.5,
  'ws/npm': 2
}

// ---------------------------------------------------------------------------------------------
// Resources this run owns, released in `cleanup` (also on SIGINT/SIGTERM).

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-bench-'))
const benchDir = path.join(ROOT, '.bench')
const probeDir = path.join(benchDir, `probe-${process.pid}`)
const servers = []
let registry

let cleaned = false
async function cleanup() {
  if (cleaned) return
  cleaned = true
  for (const server of servers) {
    server.closeAllConnections?.()
    await new Promise((resolve) => server.close(resolve))
  }
  await registry?.stop()
  fs.rmSync(work, { recursive: true, force: true })
  fs.rmSync(probeDir, { recursive: true, force: true })
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130))
  })
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

function stats(samples) {
  const sorted = [...samples].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { n: sorted.length, min: sorted[0], median, max: sorted[sorted.length - 1] }
}

const ms = (value) => (value === undefined ? '-' : `${Math.round(value)}`)
const round2 = (value) => Math.round(value * 100) / 100
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`

function table(header, rows) {
  const widths = header.map((_, i) =>
    Math.max(...[header, ...rows].map((r) => String(r[i]).length))
  )
  const line = (row) =>
    row
      .map((cell, i) =>
        i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])
      )
      .join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** A sandbox under this run's temp dir (removed with it). */
const sandbox = () => makeSandbox(`${path.basename(work)}/run-`)
const dropSandbox = (sb) => fs.rmSync(sb.root, { recursive: true, force: true })

/** Spawns a process; resolves with its exit, output and wall time from spawn to close. */
function timedSpawn(command, args, { cwd, env }) {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (exitCode) =>
      resolve({ exitCode, stdout, stderr, ms: performance.now() - started })
    )
  })
}

function fail(what, result) {
  const detail = [result?.stdout, result?.stderr].filter(Boolean).join('\n').slice(-4000)
  throw new Error(`${what} failed (exit ${result?.exitCode}):\n${detail}`)
}

function listen(server) {
  servers.push(server)
  return new Promise((resolve, reject) =>
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve(server.address().port))
  )
}

// ---------------------------------------------------------------------------------------------
// The npm on PATH, behind a counting wrapper: every contender finds `npm` through the same wrapper
// (one bash start, ~2 ms), which appends `<command> <start> <end>` to the run's own counter file: how
// many npm processes the run started, and how long they took.

function findOnPath(command, pathValue) {
  for (const dir of pathValue.split(path.delimiter)) {
    const file = path.join(dir, command)
    try {
      fs.accessSync(file, fs.constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  throw new Error(`${command} is not on PATH`)
}

const REAL_NPM = findOnPath('npm', process.env.PATH)
const wrapperDir = path.join(work, 'bin')
fs.mkdirSync(wrapperDir)
fs.writeFileSync(
  path.join(wrapperDir, 'npm'),
  [
    '#!/bin/bash',
    `[ -z "$NPM_BENCH_CALLS" ] && exec '${REAL_NPM}' "$@"`,
    'start=$EPOCHREALTIME',
    `'${REAL_NPM}' "$@"`,
    'code=$?',
    'echo "$1 $start $EPOCHREALTIME" >> "$NPM_BENCH_CALLS"',
    'exit $code',
    ''
  ].join('\n'),
  { mode: 0o755 }
)
const PATH_WITH_WRAPPER = `${wrapperDir}${path.delimiter}${process.env.PATH}`
/** For the action: the same npm as (a), found directly (it runs npm-cli.js beside it). */
const PATH_WITH_REAL_NPM = `${path.dirname(REAL_NPM)}${path.delimiter}${process.env.PATH}`

/** The npm processes a run started: their commands and their summed wall time. */
function npmCalls(file) {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
  const calls = lines.map((line) => {
    const [command, start, end] = line.split(' ')
    return { command, ms: (Number(end) - Number(start)) * 1000 }
  })
  return {
    npm: calls.length,
    commands: calls.map((c) => c.command),
    npmMs: calls.reduce((sum, c) => sum + c.ms, 0)
  }
}

/** What the runner gives every step, for the contenders that are not run through runAction. */
function runnerEnv(sb, extra = {}) {
  return {
    PATH: PATH_WITH_WRAPPER,
    HOME: sb.home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: sb.runnerTemp,
    GITHUB_WORKSPACE: sb.workspace,
    ...extra
  }
}

// ---------------------------------------------------------------------------------------------
// The contenders. Each returns {ms, ...}; each checks that it did its job.

const packagesDir = path.join(work, 'packages')

function packageDir(name, version) {
  return writePackage(path.join(packagesDir, name), {
    name,
    version,
    description: 'benchmark package',
    main: 'index.js',
    license: 'MIT'
  })
}

async function bareNpm(dir, token) {
  const sb = sandbox()
  const calls = path.join(sb.root, 'npm-calls')
  const userconfig = path.join(sb.root, 'npmrc')
  fs.writeFileSync(userconfig, `//127.0.0.1:${registry.port}/:_authToken=${token}\n`, {
    mode: 0o600
  })
  const result = await timedSpawn(
    'npm',
    ['publish', dir, '--userconfig', userconfig, '--registry', registry.url],
    { cwd: sb.workspace, env: runnerEnv(sb, { NPM_BENCH_CALLS: calls }) }
  )
  if (result.exitCode !== 0) fail('(a) npm publish', result)
  const npm = npmCalls(calls)
  dropSandbox(sb)
  return { ms: result.ms, ...npm }
}

async function ourAction(packagePath, { expectPublished, token }) {
  const sb = sandbox()
  const calls = path.join(sb.root, 'npm-calls')
  const run = await runAction({
    inputs: { token, registry: registry.url, package: packagePath, 'token-check': 'strict' },
    sandbox: sb,
    env: { PATH: PATH_WITH_REAL_NPM, NPM_BENCH_CALLS: calls }
  })
  const what = `our action on ${path.basename(packagePath)}`
  if (run.main.exitCode !== 0) fail(`${what} (main)`, run.main)
  if (run.post.exitCode !== 0) fail(`${what} (post)`, run.post)
  if (run.outputs.published !== String(expectPublished) || run.outputs['error-code']) {
    fail(`${what}: outputs ${JSON.stringify(run.outputs)}`, run.main)
  }
  if (!expectPublished && !run.outputs.integrity) {
    fail(`${what}: not the rerun path that compares the content`, run.main)
  }
  const npm = actionNpmCalls(run.main.stdout)
  dropSandbox(sb)
  return { ms: run.main.ms + run.post.ms, main: run.main.ms, post: run.post.ms, ...npm }
}

/**
 * The action starts npm as `node npm-cli.js` (found beside the npm on PATH), not through a
 * wrapper a bench can put on PATH: its own debug lines say how many npm processes it started
 * (a spare started early and not needed included) and how long each command took.
 */
function actionNpmCalls(stdout) {
  const processes = Number(/^::debug::npm processes: (\d+)/m.exec(stdout)?.[1] ?? NaN)
  const calls = [...stdout.matchAll(/^::debug::npm (\S+): exit \d+ after (\d+) ms$/gm)].map(
    (m) => ({
      command: m[1],
      ms: Number(m[2])
    })
  )
  return {
    npm: processes,
    commands: calls.map((c) => c.command),
    npmMs: calls.reduce((sum, c) => sum + c.ms, 0)
  }
}

const OTHER = path.join(ROOT, 'node_modules', '@jsdevtools', 'npm-publish')
const OTHER_VERSION = JSON.parse(fs.readFileSync(path.join(OTHER, 'package.json'), 'utf8')).version
const otherDriver = path.join(work, 'jsdevtools-npm-publish.mjs')
fs.writeFileSync(
  otherDriver,
  `import { npmPublish } from ${JSON.stringify(pathToFileURL(path.join(OTHER, 'lib', 'index.js')).href)}
const result = await npmPublish({
  token: process.env.BENCH_TOKEN,
  registry: process.env.BENCH_REGISTRY,
  package: process.env.BENCH_PACKAGE,
  temporaryDirectory: process.env.RUNNER_TEMP
})
console.log(JSON.stringify(result))
if (!result.type) process.exitCode = 1 // npm 11 keys its --json by name: id stays empty
`
)

async function otherAction(dir, token) {
  const sb = sandbox()
  const calls = path.join(sb.root, 'npm-calls')
  const result = await timedSpawn(process.execPath, [otherDriver], {
    cwd: sb.workspace,
    env: runnerEnv(sb, {
      NPM_BENCH_CALLS: calls,
      BENCH_TOKEN: token,
      BENCH_REGISTRY: registry.url,
      BENCH_PACKAGE: dir
    })
  })
  if (result.exitCode !== 0) fail('(c) @jsdevtools/npm-publish', result)
  const npm = npmCalls(calls)
  dropSandbox(sb)
  return { ms: result.ms, ...npm }
}

/** `npm pack` into `dest` (not timed, not counted); returns the .tgz path. */
async function npmPack(dir, dest) {
  const sb = sandbox()
  const result = await timedSpawn(
    REAL_NPM,
    ['pack', dir, '--pack-destination', dest, '--json', '--ignore-scripts'],
    { cwd: sb.root, env: { PATH: process.env.PATH, HOME: sb.home, CI: 'true' } }
  )
  dropSandbox(sb)
  if (result.exitCode !== 0) fail(`npm pack ${dir}`, result)
  const [{ filename }] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')))
  return path.join(dest, filename)
}

// ---------------------------------------------------------------------------------------------
// Side measurements.

/** A loopback proxy to the registry that notes when the first request of a run arrives. */
async function startRecordingProxy(target) {
  const agent = new http.Agent({ keepAlive: true })
  let first
  const server = http.createServer((req, res) => {
    first ??= performance.now()
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent
      },
      (response) => {
        res.writeHead(response.statusCode, response.headers)
        response.pipe(res)
      }
    )
    upstream.on('error', (error) => res.destroy(error))
    req.pipe(upstream)
  })
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}/`,
    takeFirst() {
      const value = first
      first = undefined
      return value
    },
    close: () => agent.destroy()
  }
}

async function coldStart(token) {
  const proxy = await startRecordingProxy(registry)
  const dir = packageDir('bench-cold', '1.0.0')
  const samples = []
  const mains = []
  for (let i = 0; i < SIDE_RUNS; i++) {
    const sb = sandbox()
    let spawned
    const run = await runAction({
      inputs: { token, registry: proxy.url, package: dir, 'validate-only': 'true' },
      sandbox: sb,
      env: { PATH: PATH_WITH_REAL_NPM },
      skipPost: true,
      onMainStart: () => (spawned = performance.now())
    })
    if (run.main.exitCode !== 0) fail('cold start run', run.main)
    const first = proxy.takeFirst()
    if (first === undefined) throw new Error('cold start: the action made no registry request')
    samples.push(first - spawned)
    mains.push(run.main.ms)
    dropSandbox(sb)
  }
  proxy.close()
  // For scale: an empty Node start, spawn to exit.
  const empty = []
  for (let i = 0; i < SIDE_RUNS; i++) {
    empty.push((await timedSpawn(process.execPath, ['-e', '0'], { cwd: work, env: {} })).ms)
  }
  return { ...stats(samples), samples, validateOnlyMain: stats(mains), emptyNode: stats(empty) }
}

/**
 * Peak RSS of the action's own process (not its npm child): a `--require` preload reads VmHWM from
 * /proc/self/status at exit; VmHWM polled from outside every 5 ms is a cross-check. Not
 * getrusage's maxRSS: on Linux it carries the spawning process's RSS across fork + exec (the
 * bench's own), nor `/usr/bin/time -v`, which folds in the npm child the action waits for.
 */
async function peakRss(token) {
  const preload = path.join(work, 'rss-preload.cjs')
  fs.writeFileSync(
    preload,
    `const fs = require('node:fs')
process.on('exit', () => {
  const step = require('node:path').basename(require('node:path').dirname(process.argv[1])) === 'post' ? 'post' : 'main'
  const status = fs.readFileSync('/proc/self/status', 'utf8')
  const hwmKb = Number(/VmHWM:\\s+(\\d+)/.exec(status)[1])
  fs.appendFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ step, hwmKb }) + '\\n')
})
`
  )
  const tiny = packageDir('bench-tiny', '1.0.0')
  const dir = packageDir('bench-big', '1.0.0')
  const fd = fs.openSync(path.join(dir, 'blob.bin'), 'w')
  for (let i = 0; i < BIG_MB; i++) fs.writeSync(fd, crypto.randomBytes(1024 * 1024))
  fs.closeSync(fd)

  const measure = async (label, packagePath, expectPublished) => {
    const sb = sandbox()
    const rssFile = path.join(sb.root, 'rss')
    let poll
    let polledKb = 0
    const started = performance.now()
    const run = await runAction({
      inputs: { token, registry: registry.url, package: packagePath },
      sandbox: sb,
      env: {
        PATH: PATH_WITH_REAL_NPM,
        NODE_OPTIONS: `--require ${preload}`,
        BENCH_RSS_FILE: rssFile
      },
      onMainStart: (child) => {
        const status = `/proc/${child.pid}/status`
        poll = setInterval(() => {
          try {
            const kb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(status, 'utf8'))?.[1] ?? 0)
            polledKb = Math.max(polledKb, kb)
          } catch {
            // exited
          }
        }, 5)
        child.once('exit', () => clearInterval(poll))
      }
    })
    clearInterval(poll)
    const ms = performance.now() - started
    if (run.main.exitCode !== 0) fail(`RSS run ${label}`, run.main)
    if (run.outputs.published !== String(expectPublished)) fail(`RSS run ${label}`, run.main)
    const reports = fs
      .readFileSync(rssFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
    const main = reports.find((r) => r.step === 'main')
    const post = reports.find((r) => r.step === 'post')
    dropSandbox(sb)
    return {
      label,
      ms,
      mainMB: main.hwmKb / 1024,
      postMB: post?.hwmKb / 1024,
      polledMB: polledKb / 1024
    }
  }

  const baseline = await measure('tiny package, publish (baseline)', tiny, true)
  const runs = [await measure(`${BIG_MB} MB, publish from the directory (npm packs)`, dir, true)]
  const tgzDir = path.join(work, 'big-tgz')
  fs.mkdirSync(tgzDir)
  writePackage(dir, { name: 'bench-big', version: '1.0.1', license: 'MIT' })
  const tgz = await npmPack(dir, tgzDir)
  const tgzBytes = fs.statSync(tgz).size
  runs.push(await measure(`${BIG_MB} MB, publish from the .tgz`, tgz, true))
  runs.push(await measure(`${BIG_MB} MB, rerun from the .tgz (hashed in-process)`, tgz, false))
  fs.rmSync(tgzDir, { recursive: true, force: true })
  fs.rmSync(dir, { recursive: true, force: true })
  return {
    tarballBytes: tgzBytes,
    baseline,
    runs,
    maxMainMB: Math.max(...runs.map((r) => r.mainMB))
  }
}

/** Token-list entries as a registry lists them; this token's own entry last, matched by its redacted form. */
function tokenEntries(count, token) {
  const created = new Date().toISOString()
  const redact = (t) => `${t.slice(0, 8)}...${t.slice(-4)}`
  const entries = []
  for (let i = 0; i < count - 1; i++) {
    const other = `npm_${crypto.randomBytes(27).toString('base64url')}`
    entries.push({
      token: redact(other),
      key: crypto.createHash('sha512').update(other).digest('hex'),
      cidr_whitelist: i % 4 === 0 ? ['10.0.0.0/8'] : [],
      readonly: i % 3 === 0,
      automation: false,
      created,
      updated: created
    })
  }
  entries.push({
    token: redact(token),
    cidr_whitelist: [],
    readonly: false,
    created,
    updated: created
  })
  return entries
}

/**
 * A fake registry: whoami, a paged token list (100 a page), and 404 for everything else. Notes when
 * the first request of a run arrives and when the last token-list page was sent.
 */
async function startFakeRegistry(entries) {
  const marks = {}
  const server = http.createServer((req, res) => {
    marks.first ??= performance.now()
    const url = new URL(req.url, 'http://127.0.0.1')
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/-/whoami') return send(200, { username: 'bench' })
    if (url.pathname === '/-/npm/v1/tokens') {
      const perPage = Number(url.searchParams.get('perPage') ?? 100)
      const page = Number(url.searchParams.get('page') ?? 0)
      const objects = entries.slice(page * perPage, (page + 1) * perPage)
      const more = (page + 1) * perPage < entries.length
      marks.tokensFirst ??= performance.now()
      res.once('finish', () => (marks.tokensLast = performance.now()))
      return send(200, {
        objects,
        total: entries.length,
        urls: { next: more ? `/-/npm/v1/tokens?perPage=${perPage}&page=${page + 1}` : undefined }
      })
    }
    return send(404, { error: 'not found' })
  })
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}/`,
    takeMarks() {
      const taken = { ...marks }
      for (const key of Object.keys(marks)) delete marks[key]
      return taken
    }
  }
}

/**
 * The verdict over 1,000 entries, two ways. Pure: `findOwnEntry` + `judgeToken` from src/, compiled
 * with the TypeScript compiler (transpileModule, nothing else changed), timed in a fresh Node process
 * (the first call, as the action makes it once per run, and the median of 200 warm calls). End to
 * end: the action's main (`validate-only`) against a fake registry listing 1,000 entries in 10 pages
 * vs 1 entry; the difference of the medians is what a long token list costs a run (9 more page
 * requests, their parsing and the judging).
 */
async function verdict() {
  const ts = (await import('typescript')).default
  fs.mkdirSync(path.join(probeDir, 'src'), { recursive: true })
  for (const file of fs.readdirSync(path.join(ROOT, 'src'))) {
    if (!file.endsWith('.ts')) continue
    const source = fs.readFileSync(path.join(ROOT, 'src', file), 'utf8')
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
    })
    fs.writeFileSync(path.join(probeDir, 'src', file.replace(/\.ts$/, '.js')), outputText)
  }
  const token = `npm_${crypto.randomBytes(27).toString('base64url')}`
  fs.writeFileSync(
    path.join(probeDir, 'entries.json'),
    JSON.stringify(tokenEntries(TOKEN_ENTRIES, token))
  )
  fs.writeFileSync(
    path.join(probeDir, 'probe.mjs'),
    `import fs from 'node:fs'
import { findOwnEntry, judgeToken } from './src/token-check.js'
const entries = JSON.parse(fs.readFileSync(new URL('./entries.json', import.meta.url), 'utf8'))
const list = { kind: 'entries', entries, pages: Math.ceil(entries.length / 100), complete: true }
const whoami = { status: 200, headers: {}, body: { username: 'bench' } }
const once = () => {
  const started = performance.now()
  const own = findOwnEntry(list, process.env.BENCH_TOKEN)
  const verdict = judgeToken({ whoami, own, packageNames: ['bench-verdict'], now: new Date(), expiryWarningDays: 14, healthCheck: false, staged: false, host: 'registry.example' })
  return { ms: performance.now() - started, own: own.kind, failure: verdict.failure?.id ?? null }
}
const first = once()
const warm = []
for (let i = 0; i < 200; i++) warm.push(once().ms)
warm.sort((x, y) => x - y)
console.log(JSON.stringify({ firstMs: first.ms, warmMedianMs: warm[100], own: first.own, failure: first.failure }))
`
  )
  const probe = await timedSpawn(process.execPath, [path.join(probeDir, 'probe.mjs')], {
    cwd: probeDir,
    env: { PATH: process.env.PATH, BENCH_TOKEN: token }
  })
  let pure
  if (probe.exitCode === 0) {
    pure = JSON.parse(probe.stdout)
    if (pure.own !== 'found' || pure.failure) throw new Error(`verdict probe: ${probe.stdout}`)
  } else {
    pure = { error: (probe.stderr.trim().split('\n')[0] ?? '').slice(0, 300) }
  }
  fs.rmSync(probeDir, { recursive: true, force: true })

  const long = await startFakeRegistry(tokenEntries(TOKEN_ENTRIES, token))
  const short = await startFakeRegistry(tokenEntries(1, token))
  const dir = packageDir('bench-verdict', '1.0.0')
  const times = { long: [], short: [], paging: [] }
  for (let i = 0; i < SIDE_RUNS; i++) {
    const pair = [
      ['long', long],
      ['short', short]
    ]
    for (const [kind, fake] of i % 2 ? pair.reverse() : pair) {
      const sb = sandbox()
      let spawned
      const run = await runAction({
        inputs: { token, registry: fake.url, package: dir, 'validate-only': 'true' },
        sandbox: sb,
        env: { PATH: PATH_WITH_REAL_NPM },
        skipPost: true,
        onMainStart: () => (spawned = performance.now())
      })
      if (run.main.exitCode !== 0 || run.outputs['token-check'] !== 'passed') {
        fail(`verdict run (${kind} list): token-check=${run.outputs['token-check']}`, run.main)
      }
      const marks = fake.takeMarks()
      // From the first request to the exit: the run minus its start-up, which only adds noise here.
      times[kind].push(spawned + run.main.ms - marks.first)
      if (kind === 'long') times.paging.push(marks.tokensLast - marks.tokensFirst)
      dropSandbox(sb)
    }
  }
  const longStats = stats(times.long)
  const shortStats = stats(times.short)
  return {
    entries: TOKEN_ENTRIES,
    pure,
    endToEnd: {
      firstRequestToExit1000: longStats,
      firstRequestToExit1: shortStats,
      extraMs: longStats.median - shortStats.median,
      paging1000: stats(times.paging)
    }
  }
}

function distSize() {
  const dist = path.join(ROOT, 'dist')
  const files = fs
    .readdirSync(dist, { recursive: true })
    .map(String)
    .filter((name) => fs.statSync(path.join(dist, name)).isFile())
    .map((name) => ({ name, bytes: fs.statSync(path.join(dist, name)).size }))
  const js = files.filter((f) => /\.c?js$/.test(f.name))
  // What the main step loads to publish with a token: the bundle and npm's wrapper (the YAML
  // reader is a chunk of its own, loaded only for a pnpm workspace).
  const publishPath = files.filter((f) => f.name === 'index.js' || f.name === 'npm-with-token.cjs')
  const post = js.filter((f) => f.name === path.join('post', 'index.js'))
  const sum = (list) => list.reduce((total, f) => total + f.bytes, 0)
  return {
    jsBytes: sum(js),
    publishPathBytes: sum(publishPath),
    publishPath: publishPath.map((f) => f.name),
    postBytes: sum(post),
    allBytes: sum(files),
    files: Object.fromEntries(js.map((f) => [f.name, f.bytes]))
  }
}

// ---------------------------------------------------------------------------------------------
// The workspace section.

const WS_SIZE = 8

/**
 * The bench repo: a private root with `workspaces: ["packages/*"]` and 8 tiny packages, p1 and p2
 * at the bottom, p3..p6 on one of them, p7 and p8 on two of those (ranges `^version`).
 */
const WS_DEPENDS = { 3: [1], 4: [1], 5: [2], 6: [2], 7: [3, 5], 8: [4, 6] }

function benchWorkspace(scope, version) {
  const root = path.join(work, 'workspaces', scope)
  fs.rmSync(root, { recursive: true, force: true })
  writePackage(root, { name: `${scope}-root`, private: true, workspaces: ['packages/*'] })
  const names = []
  for (let i = 1; i <= WS_SIZE; i++) {
    const name = `@${scope}/p${i}`
    names.push(name)
    const dependencies = Object.fromEntries(
      (WS_DEPENDS[i] ?? []).map((d) => [`@${scope}/p${d}`, `^${version}`])
    )
    writePackage(path.join(root, 'packages', `p${i}`), {
      name,
      version,
      description: 'benchmark workspace package',
      main: 'index.js',
      license: 'MIT',
      ...(Object.keys(dependencies).length ? { dependencies } : {})
    })
  }
  // In dependency order (p1..p8 is one), as a user would order eight steps by hand.
  return { root, names, dirs: names.map((_, i) => path.join(root, 'packages', `p${i + 1}`)) }
}

async function expectOnRegistry(names, version, what) {
  for (const name of names) {
    const packument = await registry.packument(name)
    if (!packument?.versions?.[version]) throw new Error(`${what}: ${name}@${version} is missing`)
  }
}

async function wsOneStep(repo, version, token) {
  const sb = sandbox()
  const run = await runAction({
    inputs: { token, registry: registry.url, package: repo.root, workspaces: 'true' },
    sandbox: sb,
    env: { PATH: PATH_WITH_REAL_NPM }
  })
  if (run.main.exitCode !== 0) fail('(ws) workspaces: true (main)', run.main)
  if (run.post.exitCode !== 0) fail('(ws) workspaces: true (post)', run.post)
  const packages = JSON.parse(run.outputs.packages)
  if (packages.length !== WS_SIZE || !packages.every((p) => p.published)) {
    fail(`(ws) workspaces: true: packages ${run.outputs.packages}`, run.main)
  }
  await expectOnRegistry(repo.names, version, '(ws)')
  dropSandbox(sb)
  return { ms: run.main.ms + run.post.ms, main: run.main.ms, post: run.post.ms }
}

async function wsEightSteps(repo, version, token) {
  let total = 0
  let main = 0
  let post = 0
  for (const dir of repo.dirs) {
    const step = await ourAction(dir, { token, expectPublished: true })
    total += step.ms
    main += step.main
    post += step.post
  }
  await expectOnRegistry(repo.names, version, '(eight)')
  return { ms: total, main, post }
}

async function npmWorkspaces(repo, version, token) {
  const sb = sandbox()
  const userconfig = path.join(sb.root, 'npmrc')
  fs.writeFileSync(userconfig, `//127.0.0.1:${registry.port}/:_authToken=${token}\n`, {
    mode: 0o600
  })
  const result = await timedSpawn(
    'npm',
    ['publish', '--workspaces', '--userconfig', userconfig, '--registry', registry.url],
    { cwd: repo.root, env: runnerEnv(sb) }
  )
  if (result.exitCode !== 0) fail('(npm) npm publish --workspaces', result)
  await expectOnRegistry(repo.names, version, '(npm)')
  dropSandbox(sb)
  return { ms: result.ms }
}

/** Rounds of the three contenders, interleaved; the medians and the issue's two ratios. */
async function workspaceBench(token) {
  const results = { ws: [], eight: [], npm: [] }
  const scopes = { ws: 'wsb-step', eight: 'wsb-eight', npm: 'wsb-npm' }
  const run = {
    ws: (repo, version) => wsOneStep(repo, version, token),
    eight: (repo, version) => wsEightSteps(repo, version, token),
    npm: (repo, version) => npmWorkspaces(repo, version, token)
  }
  for (let round = 0; round <= ROUNDS; round++) {
    const version = `1.0.${round}`
    const order = ['ws', 'eight', 'npm']
    for (let i = 0; i < round % 3; i++) order.push(order.shift())
    const got = {}
    for (const id of order) got[id] = await run[id](benchWorkspace(scopes[id], version), version)
    const label = round === 0 ? 'ws warm-up' : `ws round ${round}/${ROUNDS}`
    console.log(
      `${label.padEnd(16)} ${Object.keys(results)
        .map((id) => `${id} ${ms(got[id].ms)}`)
        .join('  ')} ms`
    )
    if (round > 0) for (const id of Object.keys(results)) results[id].push(got[id])
  }
  const figures = Object.fromEntries(
    Object.entries(results).map(([id, list]) => [
      id,
      {
        ...stats(list.map((r) => r.ms)),
        samples: list.map((r) => r.ms),
        main: list[0].main === undefined ? undefined : stats(list.map((r) => r.main)),
        post: list[0].post === undefined ? undefined : stats(list.map((r) => r.post))
      }
    ])
  )
  const ratios = {
    'ws/eight': round2(figures.ws.median / figures.eight.median),
    'ws/npm': round2(figures.ws.median / figures.npm.median)
  }
  const names = {
    ws: `(ws) action, workspaces: true, one step`,
    eight: `(eight) action, ${WS_SIZE} single-package steps (sum)`,
    npm: '(npm) npm publish --workspaces'
  }
  const rows = []
  for (const id of Object.keys(results)) {
    const f = figures[id]
    rows.push([names[id], ms(f.min), ms(f.median), ms(f.max)])
    for (const step of ['main', 'post']) {
      const s = f[step]
      if (s) rows.push([`      ${step}`, ms(s.min), ms(s.median), ms(s.max)])
    }
  }
  const targets = [
    [`(ws) ≤ 0.5 × (eight)`, ratios['ws/eight'], TARGETS['ws/eight'], `${ratios['ws/eight']}×`],
    [`(ws) ≤ 2 × (npm)`, ratios['ws/npm'], TARGETS['ws/npm'], `${ratios['ws/npm']}×`]
  ]
  return { names, figures, ratios, rows, targets }
}

function printWorkspaceBench(ws) {
  console.log('')
  console.log(
    `Workspace: ${WS_SIZE} packages in 3 levels of dependencies (ms, ${ROUNDS} rounds, interleaved)`
  )
  console.log(table(['contender', 'min', 'median', 'max'], ws.rows))
}

function judged(rows) {
  return rows.map(([name, value, limit, shown, op = '≤']) => ({
    name,
    value,
    limit,
    shown,
    pass: op === '=' ? value === limit : op === '<' ? value < limit : value <= limit
  }))
}

/** `--only workspaces`: the workspace section alone (results in .bench/workspaces.json). */
async function workspaceOnly(token, started, npmVersion) {
  const ws = await workspaceBench(token)
  printWorkspaceBench(ws)
  const targets = judged(ws.targets)
  printTargets('Targets (issue #16)', targets)
  const json = {
    date: new Date().toISOString(),
    rounds: ROUNDS,
    node: process.version,
    npm: npmVersion,
    cpus: os.cpus().length,
    durationMs: performance.now() - started,
    loadAverage1m: os.loadavg()[0],
    workspaces: { contenders: ws.figures, names: ws.names, ratios: ws.ratios },
    targets: targets.map(({ name, value, limit, pass }) => ({ name, value, limit, pass }))
  }
  fs.mkdirSync(benchDir, { recursive: true })
  fs.writeFileSync(path.join(benchDir, 'workspaces.json'), `${JSON.stringify(json, null, 2)}\n`)
  console.log('')
  console.log(
    `${targets.filter((t) => t.pass).length}/${targets.length} targets met; figures in .bench/workspaces.json; took ${(json.durationMs / 1000).toFixed(0)} s`
  )
  console.log(
    Object.entries(ws.ratios)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')
  )
}

// ---------------------------------------------------------------------------------------------
// A slow network (issue #14): a loopback TCP proxy in front of the registry that adds a round trip
// of SLOW_RTT_MS to every exchange — each chunk waits half of it in each direction, and a new
// connection's first bytes wait one more round trip (its handshake). (a) and (b) publish through
// it; what the action adds there, beyond what it adds on loopback, is its own round trips.

const SLOW_RTT_MS = 50

async function startSlowProxy(targetPort, rttMs) {
  const half = rttMs / 2
  const sockets = new Set()
  const relay = (from, to, firstExtra) => {
    let due = 0
    let first = true
    from.on('data', (chunk) => {
      const now = performance.now()
      due = Math.max(now + half + (first ? firstExtra : 0), due)
      first = false
      setTimeout(() => to.write(chunk), due - now)
    })
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, due - performance.now()) + 1))
    from.on('error', () => to.destroy())
  }
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    }
    relay(client, upstream, rttMs)
    relay(upstream, client, 0)
  })
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () => {
      for (const socket of sockets) socket.destroy()
    }
  }
}

async function slowNetwork(token, fast) {
  const proxy = await startSlowProxy(registry.port, SLOW_RTT_MS)
  const rounds = Math.max(3, Math.min(ROUNDS, 5))
  const samples = { a: [], b: [] }
  for (let round = 0; round <= rounds; round++) {
    const version = `1.0.${round}`
    const runs = {
      a: async () => {
        const dir = packageDir('bench-slow-bare', version)
        const sb = sandbox()
        const userconfig = path.join(sb.root, 'npmrc')
        fs.writeFileSync(userconfig, `//127.0.0.1:${proxy.port}/:_authToken=${token}\n`, {
          mode: 0o600
        })
        const result = await timedSpawn(
          REAL_NPM,
          ['publish', dir, '--userconfig', userconfig, '--registry', proxy.url],
          { cwd: sb.workspace, env: runnerEnv(sb) }
        )
        if (result.exitCode !== 0) fail('(a) npm publish through the slow proxy', result)
        dropSandbox(sb)
        return result.ms
      },
      b: async () => {
        const dir = packageDir('bench-slow-action', version)
        const sb = sandbox()
        const run = await runAction({
          inputs: { token, registry: proxy.url, package: dir },
          sandbox: sb,
          env: { PATH: PATH_WITH_REAL_NPM }
        })
        if (run.main.exitCode !== 0 || run.outputs.published !== 'true') {
          fail('(b) the action through the slow proxy', run.main)
        }
        dropSandbox(sb)
        return run.main.ms + run.post.ms
      }
    }
    for (const id of round % 2 ? ['b', 'a'] : ['a', 'b']) {
      const ms = await runs[id]()
      if (round > 0) samples[id].push(ms)
    }
  }
  proxy.close()
  const a = stats(samples.a)
  const b = stats(samples.b)
  const addedSlow = b.median - a.median
  const addedFast = fast.b - fast.a
  return {
    rttMs: SLOW_RTT_MS,
    rounds,
    a,
    b,
    addedSlowMs: addedSlow,
    addedFastMs: addedFast,
    roundTrips: round2((addedSlow - addedFast) / SLOW_RTT_MS)
  }
}

// ---------------------------------------------------------------------------------------------
// A big real tarball (issue #14): typescript@5.9.3 as `npm pack` makes it (4.4 MB; fetched once
// from the npm registry into .bench/), published as a .tgz by (a) bare npm and (b) the action.
// Each publish gets its own version, written into a copy of the tarball (untimed).

const BIG_SPEC = 'typescript@5.9.3'

async function bigTarball(token) {
  const cached = path.join(benchDir, 'typescript-5.9.3.tgz')
  if (!fs.existsSync(cached)) {
    fs.mkdirSync(benchDir, { recursive: true })
    const sb = sandbox()
    // The machine's own environment: a proxy or CA it needs to reach the npm registry.
    const packed = await timedSpawn(REAL_NPM, ['pack', BIG_SPEC, '--pack-destination', benchDir], {
      cwd: sb.root,
      env: { ...process.env, HOME: sb.home, CI: 'true' }
    })
    dropSandbox(sb)
    if (packed.exitCode !== 0) return { skipped: `npm pack ${BIG_SPEC} failed (no npm registry?)` }
  }
  const bytes = fs.statSync(cached).size
  const unpacked = path.join(work, 'big-unpacked')
  fs.mkdirSync(unpacked)
  await tar.x({ file: cached, cwd: unpacked })
  const manifestFile = path.join(unpacked, 'package', 'package.json')
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
  /** The tarball at `version` (a copy, packed like npm packs: portable, gzip). */
  const at = async (version) => {
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, version }, null, 2))
    const file = path.join(work, `typescript-${version}.tgz`)
    await tar.c({ gzip: true, portable: true, cwd: unpacked, file }, ['package'])
    return file
  }
  const rounds = Math.max(3, Math.min(ROUNDS, 5))
  const samples = { a: [], b: [] }
  for (let round = 0; round <= rounds; round++) {
    const files = { a: await at(`5.9.3-bench.${round}.0`), b: await at(`5.9.3-bench.${round}.1`) }
    const runs = {
      a: async () => {
        const sb = sandbox()
        const userconfig = path.join(sb.root, 'npmrc')
        fs.writeFileSync(userconfig, `//127.0.0.1:${registry.port}/:_authToken=${token}\n`, {
          mode: 0o600
        })
        const result = await timedSpawn(
          REAL_NPM,
          [
            'publish',
            files.a,
            '--tag',
            'bench',
            '--userconfig',
            userconfig,
            '--registry',
            registry.url
          ],
          { cwd: sb.workspace, env: runnerEnv(sb) }
        )
        if (result.exitCode !== 0) fail('(a) npm publish of the big tarball', result)
        dropSandbox(sb)
        return result.ms
      },
      b: async () => {
        const sb = sandbox()
        const run = await runAction({
          inputs: { token, registry: registry.url, package: files.b, tag: 'bench' },
          sandbox: sb,
          env: { PATH: PATH_WITH_REAL_NPM }
        })
        if (run.main.exitCode !== 0 || run.outputs.published !== 'true') {
          fail('(b) the action on the big tarball', run.main)
        }
        dropSandbox(sb)
        return run.main.ms + run.post.ms
      }
    }
    for (const id of round % 2 ? ['b', 'a'] : ['a', 'b']) {
      const ms = await runs[id]()
      if (round > 0) samples[id].push(ms)
    }
    for (const file of Object.values(files)) fs.rmSync(file)
  }
  fs.rmSync(unpacked, { recursive: true, force: true })
  const a = stats(samples.a)
  const b = stats(samples.b)
  return { spec: BIG_SPEC, bytes, rounds, a, b, ratio: round2(b.median / a.median) }
}

/** The targets and their verdicts, as a table under `heading`. */
function printTargets(heading, targets) {
  console.log('')
  console.log(heading)
  console.log(
    table(
      ['target', 'measured', 'verdict'],
      targets.map((t) => [t.name, t.shown, t.pass ? 'PASS' : 'MISS'])
    )
  )
}

// ---------------------------------------------------------------------------------------------
// The run.

async function bench() {
  const started = performance.now()
  const npmVersion = (
    await timedSpawn(REAL_NPM, ['--version'], { cwd: work, env: { PATH: process.env.PATH } })
  ).stdout.trim()
  const loadBefore = os.loadavg()[0]
  registry = await startVerdaccio({ max_body_size: '500mb' })
  const password = 'bench-password'
  const login = await registry.createUser('bench', password)
  const { token } = await registry.createToken(login, password)
  console.log(
    `Verdaccio on ${registry.url}; Node ${process.version}, npm ${npmVersion}, ${os.cpus().length} CPUs; ` +
      `${ROUNDS} rounds (+1 warm-up)`
  )
  if (flags.only === 'workspaces') return workspaceOnly(token, started, npmVersion)

  const results = { a: [], b: [], c: [], d: [], e: [] }
  const tgzDir = path.join(work, 'tgz')
  fs.mkdirSync(tgzDir)
  for (let round = 0; round <= ROUNDS; round++) {
    const version = `1.0.${round}`
    const dirs = {
      a: packageDir('bench-bare', version),
      b: packageDir('bench-action', version),
      c: packageDir('bench-other', version)
    }
    const fresh = {
      a: () => bareNpm(dirs.a, token),
      b: () => ourAction(dirs.b, { token, expectPublished: true }),
      c: () => otherAction(dirs.c, token)
    }
    const order = ['a', 'b', 'c']
    for (let i = 0; i < round % 3; i++) order.push(order.shift())
    const got = {}
    for (const id of order) got[id] = await fresh[id]()
    // (d) and (e) re-run what (b) just published; the .tgz is made first, untimed.
    const tgz = await npmPack(dirs.b, tgzDir)
    const reruns = {
      d: () => ourAction(dirs.b, { token, expectPublished: false }),
      e: () => ourAction(tgz, { token, expectPublished: false })
    }
    for (const id of round % 2 ? ['e', 'd'] : ['d', 'e']) got[id] = await reruns[id]()
    fs.rmSync(tgz)
    const label = round === 0 ? 'warm-up' : `round ${round}/${ROUNDS}`
    console.log(
      `${label.padEnd(12)} ${Object.keys(results)
        .map((id) => `${id} ${ms(got[id].ms)}`)
        .join('  ')} ms`
    )
    if (round > 0) for (const id of Object.keys(results)) results[id].push(got[id])
  }

  console.log('workspaces...')
  const ws = await workspaceBench(token)
  const medianOf = (id) => stats(results[id].map((r) => r.ms)).median
  console.log(`slow network (+${SLOW_RTT_MS} ms round trip)...`)
  const slow = await slowNetwork(token, { a: medianOf('a'), b: medianOf('b') })
  console.log(`a big real tarball (${BIG_SPEC})...`)
  const big = await bigTarball(token)
  console.log('cold start, RSS, verdict...')
  const cold = await coldStart(token)
  const rss = await peakRss(token)
  const verdictTimes = await verdict()
  const dist = distSize()
  const loadAtStart = round2(loadBefore)

  // --- figures
  const contender = (id) => ({
    ...stats(results[id].map((r) => r.ms)),
    samples: results[id].map((r) => r.ms)
  })
  const figures = Object.fromEntries(Object.keys(results).map((id) => [id, contender(id)]))
  const steps = Object.fromEntries(
    ['b', 'd', 'e'].map((id) => [
      id,
      { main: stats(results[id].map((r) => r.main)), post: stats(results[id].map((r) => r.post)) }
    ])
  )
  const npmProcs = Object.fromEntries(
    Object.keys(results).map((id) => [
      id,
      {
        min: Math.min(...results[id].map((r) => r.npm)),
        max: Math.max(...results[id].map((r) => r.npm)),
        commands: [...new Set(results[id].flatMap((r) => r.commands))],
        npmMs: stats(results[id].map((r) => r.npmMs)),
        ownMs: stats(results[id].map((r) => r.ms - r.npmMs))
      }
    ])
  )
  const med = (id) => figures[id].median
  const ratios = {
    'b/a': round2(med('b') / med('a')),
    'b/c': round2(med('b') / med('c')),
    'd/a': round2(med('d') / med('a')),
    'e/a': round2(med('e') / med('a'))
  }
  const postMax = Math.max(steps.b.post.median, steps.d.post.median, steps.e.post.median)
  const verdictMs = Math.max(verdictTimes.endToEnd.extraMs, verdictTimes.pure.firstMs ?? 0, 0)
  const targetRows = [
    [`(b) ≤ ${TARGETS['b/a']} × (a)`, ratios['b/a'], TARGETS['b/a'], `${ratios['b/a']}×`],
    [`(b) ≤ ${TARGETS['b/c']} × (c)`, ratios['b/c'], TARGETS['b/c'], `${ratios['b/c']}×`],
    ['(d) ≤ 1.2 × (a)', ratios['d/a'], TARGETS['d/a'], `${ratios['d/a']}×`],
    ['(e) ≤ 0.5 × (a)', ratios['e/a'], TARGETS['e/a'], `${ratios['e/a']}×`],
    [
      'npm processes, fast path = 1',
      npmProcs.b.min === npmProcs.b.max ? npmProcs.b.max : NaN,
      TARGETS.npmFast,
      `${npmProcs.b.min}..${npmProcs.b.max}`,
      '='
    ],
    [
      'npm processes, rerun from dir = 1',
      npmProcs.d.min === npmProcs.d.max ? npmProcs.d.max : NaN,
      TARGETS.npmRerunDir,
      `${npmProcs.d.min}..${npmProcs.d.max}`,
      '='
    ],
    [
      'npm processes, rerun from .tgz = 0',
      npmProcs.e.min === npmProcs.e.max ? npmProcs.e.max : NaN,
      TARGETS.npmRerunTgz,
      `${npmProcs.e.min}..${npmProcs.e.max}`,
      '='
    ],
    ['post step ≤ 100 ms (median, worst path)', postMax, TARGETS.postMs, `${ms(postMax)} ms`],
    ['cold start ≤ 120 ms (median)', cold.median, TARGETS.coldStartMs, `${ms(cold.median)} ms`],
    ['dist/**/*.js ≤ 1.5 MB', dist.jsBytes, TARGETS.distBytes, mb(dist.jsBytes)],
    [
      `RSS ≤ 120 MB (${BIG_MB} MB package, worst path)`,
      rss.maxMainMB,
      TARGETS.rssMB,
      `${rss.maxMainMB.toFixed(1)} MB`
    ],
    [
      `verdict over ${TOKEN_ENTRIES} entries < 100 ms`,
      verdictMs,
      TARGETS.verdictMs,
      `${verdictMs.toFixed(1)} ms`,
      '<'
    ],
    ...ws.targets,
    [
      `slow network: the action adds ≤ 2.5 round trips of ${SLOW_RTT_MS} ms`,
      slow.roundTrips,
      TARGETS.slowRoundTrips,
      `${slow.roundTrips} (${ms(slow.addedSlowMs)} ms there − ${ms(slow.addedFastMs)} ms on loopback)`
    ],
    ...(big.skipped
      ? []
      : [[`${BIG_SPEC} .tgz: (b) ≤ 1.15 × (a)`, big.ratio, TARGETS['big/a'], `${big.ratio}×`]])
  ]
  const targets = judged(targetRows)

  // --- report
  const names = {
    a: '(a) bare npm publish',
    b: '(b) action main+post, publish',
    c: `(c) @jsdevtools/npm-publish ${OTHER_VERSION}`,
    d: '(d) action rerun, directory',
    e: '(e) action rerun, .tgz'
  }
  const rows = []
  for (const id of Object.keys(results)) {
    const f = figures[id]
    const procs = npmProcs[id]
    rows.push([
      names[id],
      ms(f.min),
      ms(f.median),
      ms(f.max),
      procs.min === procs.max ? procs.min : `${procs.min}..${procs.max}`,
      procs.commands.join(',') || '-',
      procs.max ? ms(procs.npmMs.median) : '-',
      ms(procs.ownMs.median)
    ])
    if (steps[id]) {
      for (const step of ['main', 'post']) {
        const s = steps[id][step]
        rows.push([`      ${step}`, ms(s.min), ms(s.median), ms(s.max), '', '', '', ''])
      }
    }
  }
  console.log('')
  console.log(`Contenders (ms, ${ROUNDS} rounds, interleaved)`)
  console.log(
    table(
      ['contender', 'min', 'median', 'max', 'npm procs', 'npm commands', 'in npm', 'not npm'],
      rows
    )
  )
  console.log(
    '("in npm": median wall time of its npm processes; "not npm": median of total − that)'
  )
  printWorkspaceBench(ws)
  console.log('')
  console.log(
    `Slow network (+${SLOW_RTT_MS} ms per round trip, ${slow.rounds} rounds) and a big tarball`
  )
  console.log(
    table(
      ['contender', 'min', 'median', 'max'],
      [
        ['(a) bare npm publish, slow network', ms(slow.a.min), ms(slow.a.median), ms(slow.a.max)],
        ['(b) action main+post, slow network', ms(slow.b.min), ms(slow.b.median), ms(slow.b.max)],
        ...(big.skipped
          ? [[`${BIG_SPEC}: ${big.skipped}`, '-', '-', '-']]
          : [
              [
                `(a) bare npm publish, ${BIG_SPEC} (${mb(big.bytes)})`,
                ms(big.a.min),
                ms(big.a.median),
                ms(big.a.max)
              ],
              [`(b) action main+post, ${BIG_SPEC}`, ms(big.b.min), ms(big.b.median), ms(big.b.max)]
            ])
      ]
    )
  )
  console.log('')
  console.log('Other figures')
  const pure = verdictTimes.pure
  console.log(
    table(
      ['figure', 'value'],
      [
        [
          'cold start: spawn → first registry request (median, min..max)',
          `${ms(cold.median)} ms (${ms(cold.min)}..${ms(cold.max)})`
        ],
        [
          '  for scale: empty `node -e 0`, spawn → exit (median)',
          `${ms(cold.emptyNode.median)} ms`
        ],
        ['dist/**/*.js total (main bundle, its chunks, post bundle)', mb(dist.jsBytes)],
        [
          '  loaded by a token publish (main step)',
          `${mb(dist.publishPathBytes)} (${dist.publishPath.join(' + ')})`
        ],
        ['  loaded by the post step', `${mb(dist.postBytes)} (post/index.js)`],
        ['  dist/ all files, maps and licenses included', mb(dist.allBytes)],
        ...[rss.baseline, ...rss.runs].map((r) => [
          `peak RSS of main: ${r.label}`,
          `${r.mainMB.toFixed(1)} MB (polled ${r.polledMB.toFixed(1)}; post ${r.postMB?.toFixed(1) ?? '-'}; ${ms(r.ms)} ms)`
        ]),
        ['  tarball size', mb(rss.tarballBytes)],
        [
          `verdict, ${TOKEN_ENTRIES} entries: findOwnEntry+judgeToken, 1st call (warm median)`,
          pure.error
            ? `unavailable: ${pure.error}`
            : `${pure.firstMs.toFixed(2)} ms (${pure.warmMedianMs.toFixed(3)} ms)`
        ],
        [
          `verdict, end to end: 1st request → exit, ${TOKEN_ENTRIES} entries/10 pages − 1 entry`,
          `${verdictTimes.endToEnd.extraMs.toFixed(1)} ms (${ms(verdictTimes.endToEnd.firstRequestToExit1000.median)} − ${ms(verdictTimes.endToEnd.firstRequestToExit1.median)}, medians)`
        ],
        [
          `  of which fetching the 10 pages (first page asked → last sent, median)`,
          `${verdictTimes.endToEnd.paging1000.median.toFixed(1)} ms`
        ]
      ]
    )
  )
  printTargets('Targets (issues #9, #14 and #16)', targets)

  const json = {
    date: new Date().toISOString(),
    rounds: ROUNDS,
    node: process.version,
    npm: npmVersion,
    cpus: os.cpus().length,
    durationMs: performance.now() - started,
    loadAverage1mAtStart: loadAtStart,
    contenders: Object.fromEntries(
      Object.keys(results).map((id) => [
        id,
        { name: names[id], ...figures[id], npmProcesses: npmProcs[id] }
      ])
    ),
    steps,
    ratios: { ...ratios, ...ws.ratios },
    workspaces: { contenders: ws.figures, names: ws.names, ratios: ws.ratios },
    slowNetwork: slow,
    bigTarball: big,
    coldStart: cold,
    dist,
    rss,
    verdict: verdictTimes,
    targets: targets.map(({ name, value, limit, pass }) => ({ name, value, limit, pass }))
  }
  fs.mkdirSync(benchDir, { recursive: true })
  fs.writeFileSync(path.join(benchDir, 'results.json'), `${JSON.stringify(json, null, 2)}\n`)
  console.log('')
  if (loadAtStart > 0.5) {
    console.log(
      `Note: the 1-min load average was ${loadAtStart} at the start (other work, or a run just before): noisier figures.`
    )
  }
  console.log(
    `${targets.filter((t) => t.pass).length}/${targets.length} targets met; figures in .bench/results.json; ` +
      `took ${(json.durationMs / 1000).toFixed(0)} s`
  )
  console.log(
    Object.entries({ ...ratios, ...ws.ratios })
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')
  )
}

try {
  await bench()
} catch (error) {
  process.exitCode = 1
  console.error(error instanceof Error ? error.stack : error)
} finally {
  await cleanup()
}
