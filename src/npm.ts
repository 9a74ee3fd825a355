import * as core from '@actions/core'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PublishError } from './errors.js'
import type { PrivateDir } from './credentials.js'
import { TOKEN_VARIABLE } from './credentials.js'
import { SCRIPT_MARKER, killLeftovers, type Killed } from './leftovers.js'
import { findNpm } from './npm-install.js'
import { redact } from './secrets.js'

/**
 * The one place that starts npm (our own spawner, not @actions/exec: npm must get the token on
 * stdin, lifecycle scripts need a process group of their own, and signals are forwarded to the
 * group). Never throws for a non-zero exit: the caller decides.
 */
export interface NpmResult {
  exitCode: number
  signal?: NodeJS.Signals
  stdout: string
  stderr: string
  /** The `--json` document npm printed on stdout, if any. */
  json?: unknown
}

/** Network settings a runner may legitimately pass to npm; every other npm_config_* is dropped. */
const KEPT_NPM_CONFIG = new Set(['proxy', 'https_proxy', 'http_proxy', 'noproxy', 'cafile', 'ca'])

export type ChildKind = 'npm' | 'script'

/**
 * A child's environment: inherited credentials and npm config (setup-node's job-wide
 * NPM_CONFIG_USERCONFIG, NODE_AUTH_TOKEN...), the action's inputs and state, and every runner
 * secret (ACTIONS_*: cache, artifact and results access) removed. Only the npm of a provenance
 * publish keeps the ID-token request variables. npm also loses NODE_OPTIONS (it could --require
 * code into the process holding the token) and PREFIX / DESTDIR (another global npmrc).
 */
export function childEnv(
  kind: ChildKind,
  options: { idToken?: boolean; env?: NodeJS.ProcessEnv } = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(options.env ?? process.env)) {
    const lower = name.toLowerCase()
    if (lower.startsWith('npm_config_') && !KEPT_NPM_CONFIG.has(lower.slice(11).replace(/-/g, '_')))
      continue
    if (/^(input|state)_/.test(lower)) continue
    if (['node_auth_token', 'npm_token', TOKEN_VARIABLE.toLowerCase()].includes(lower)) continue
    if (lower.startsWith('actions_')) {
      if (!(options.idToken && lower.startsWith('actions_id_token_request_'))) continue
    }
    // The step's own command files: package code must not write the action's outputs or state.
    if (lower === 'github_output' || lower === 'github_state') continue
    if (kind === 'npm' && ['node_options', 'prefix', 'destdir'].includes(lower)) continue
    if (lower === SCRIPT_MARKER.toLowerCase()) continue
    env[name] = value
  }
  return env
}

/** The wrapper that hands npm the token on stdin (dist/npm-with-token.cjs beside the bundle). */
function wrapper(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'npm-with-token.cjs')
}

interface RunOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  /** Written to npm's stdin, then closed (the token, for the wrapper). */
  input?: string
  /** A process group of its own (lifecycle scripts), killed with what it left once it exits. */
  group?: string
  /** Output straight to the log (scripts) instead of captured. */
  inherit?: boolean
}

/** Runs `node <args>` with the npm install's node, no shell; forwards SIGINT/SIGTERM. */
async function runNode(args: string[], options: RunOptions): Promise<NpmResult & { killed?: Killed }> {
  const install = await findNpm()
  return new Promise((resolve, reject) => {
    const child = spawn(install.node, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', options.inherit ? 'inherit' : 'pipe', options.inherit ? 'inherit' : 'pipe'],
      detached: options.group !== undefined,
      windowsHide: true
    })
    if (options.input !== undefined) {
      child.stdin?.on('error', () => undefined) // npm may exit before reading
      child.stdin?.end(options.input)
    }
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    const target = (): number | undefined =>
      child.pid === undefined ? undefined : options.group !== undefined ? -child.pid : child.pid
    const forward = (signal: NodeJS.Signals): void => {
      const pid = target()
      if (pid === undefined) return
      try {
        process.kill(pid, signal)
      } catch {
        // already gone
      }
    }
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    const done = (): void => {
      process.removeListener('SIGINT', forward)
      process.removeListener('SIGTERM', forward)
    }
    child.on('error', (error) => {
      done()
      reject(
        new PublishError(
          'PUBLISH_FAILED',
          `Could not start npm: ${error.message}`,
          'Install Node.js and npm on the runner (actions/setup-node) before this step.'
        )
      )
    })
    // A process the child left behind may hold its stdout open: 'close' then waits for it.
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout?.destroy()
        child.stderr?.destroy()
      }, 1000).unref()
    })
    child.on('close', (code, signal) => {
      done()
      const killed =
        options.group !== undefined ? killLeftovers(child.pid, options.group) : undefined
      const out = Buffer.concat(stdout).toString('utf8')
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        signal: signal ?? undefined,
        stdout: out,
        stderr: Buffer.concat(stderr).toString('utf8'),
        json: parseJsonOutput(out),
        killed
      })
    })
  })
}

export function parseJsonOutput(stdout: string): unknown {
  const start = stdout.search(/^[[{]/m)
  if (start < 0) return undefined
  try {
    return JSON.parse(stdout.slice(start))
  } catch {
    return undefined
  }
}

/** Config flags for every npm child the action starts for itself: exactly the private dir's. */
function pinnedConfig(dir: PrivateDir): string[] {
  return [
    '--userconfig',
    dir.npmrc,
    '--globalconfig',
    dir.globalconfig,
    // npm looks upward from its prefix for a project .npmrc: the prefix is the private dir.
    '--prefix',
    dir.dir,
    '--cache',
    path.join(dir.dir, 'cache'),
    '--logs-dir',
    path.join(dir.dir, 'logs'),
    '--no-workspaces',
    '--audit=false',
    '--fund=false',
    // The update check sends the token to the registry.
    '--update-notifier=false',
    // On the command line, these outrank a package's publishConfig (refused anyway): the
    // runner's npm_config_*proxy, else none (npm still honours HTTPS_PROXY / HTTP_PROXY).
    `--https-proxy=${keptConfig('https_proxy') ?? 'null'}`,
    `--proxy=${keptConfig('proxy') ?? 'null'}`,
    '--strict-ssl=true'
  ]
}

/** A kept npm_config_<name> of the runner (any case, `-` or `_`). */
function keptConfig(name: string): string | undefined {
  for (const [key, value] of Object.entries(process.env)) {
    if (key.toLowerCase().replace(/-/g, '_') === `npm_config_${name}` && value) return value
  }
  return undefined
}

export interface PublishArgs {
  /** `npm stage publish` (approved later on the registry) instead of `npm publish`. */
  stage: boolean
  /** A package directory or a .tgz. */
  target: string
  tag: string
  access?: string
  /** true → --provenance, false → --provenance=false, undefined → npm's default. */
  provenance?: boolean
  dryRun: boolean
  registry: URL
  /** Per-attempt timeout of npm's requests. */
  timeoutMs: number
}

/**
 * `npm publish`, scripts off, no npm-level retries, config, logs and cache from the private dir
 * only; the token reaches npm on stdin (a dry run gets none). Not `--force`: it would save npm's
 * own packument read just before the upload, the last check that nobody published the version
 * since the preflight.
 */
export async function npmPublish(
  args: PublishArgs,
  dir: PrivateDir,
  token: string | undefined
): Promise<NpmResult> {
  const install = await findNpm()
  const argv = [
    wrapper(),
    install.cli,
    ...(args.stage ? ['stage', 'publish'] : ['publish']),
    args.target,
    '--json',
    '--ignore-scripts',
    '--fetch-retries=0',
    // npm's default is 5 minutes per request: a stalled PUT would hold the job that long.
    `--fetch-timeout=${args.timeoutMs * 6}`,
    '--tag',
    args.tag,
    '--registry',
    args.registry.href,
    ...pinnedConfig(dir)
  ]
  if (args.access) argv.push('--access', args.access)
  if (args.provenance === true) argv.push('--provenance')
  if (args.provenance === false) argv.push('--provenance=false')
  if (args.dryRun) argv.push('--dry-run')
  return runNode(argv, {
    cwd: dir.dir,
    env: childEnv('npm', { idToken: args.provenance === true }),
    input: token ?? ''
  })
}

/** One `npm pack --json` entry. */
export interface Packed {
  name: string
  version: string
  /** The tarball npm wrote (absent for a dry run). */
  file?: string
  integrity: string
  shasum: string
}

/**
 * Packs directories as npm would publish them (scripts off), in one npm process: for real into
 * the private dir, or with `--dry-run` for the integrity alone.
 */
export async function npmPack(dirs: string[], dir: PrivateDir, dryRun: boolean): Promise<Packed[]> {
  const install = await findNpm()
  const result = await runNode(
    [
      install.cli,
      'pack',
      ...dirs,
      '--json',
      '--ignore-scripts',
      '--pack-destination',
      dir.packs,
      ...(dryRun ? ['--dry-run'] : []),
      ...pinnedConfig(dir)
    ],
    { cwd: dir.dir, env: childEnv('npm') }
  )
  const entries = Array.isArray(result.json) ? (result.json as Record<string, unknown>[]) : []
  if (result.exitCode !== 0 || entries.length !== dirs.length) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `npm pack could not pack ${dirs.join(', ')}: ${stderrSummary(redact(result.stderr))}`
    )
  }
  return entries.map((entry) => {
    const text = (key: string): string => (typeof entry[key] === 'string' ? (entry[key] as string) : '')
    return {
      name: text('name'),
      version: text('version'),
      file: dryRun || !text('filename') ? undefined : path.join(dir.packs, path.basename(text('filename'))),
      integrity: text('integrity'),
      shasum: text('shasum')
    }
  })
}

let version: Promise<string> | undefined

/** The npm's version, asked once (only the OIDC and stage paths need it). */
export function npmVersion(): Promise<string> {
  version ??= findNpm()
    .then((install) => runNode([install.cli, '--version'], { cwd: process.cwd(), env: childEnv('npm') }))
    .then((result) => result.stdout.trim().split('\n').pop() ?? '')
  return version
}

/**
 * A lifecycle script, as its own `npm run` in a process group of its own, with no credential
 * anywhere in reach; whatever it leaves running is killed when it exits. Its output goes to the
 * log, where workflow commands in it are not obeyed.
 */
export async function npmRunScript(dir: string, script: string): Promise<Killed | undefined> {
  const install = await findNpm()
  const marker = crypto.randomUUID()
  const resume = crypto.randomUUID()
  core.info(`::stop-commands::${resume}`)
  let result: NpmResult & { killed?: Killed }
  try {
    result = await runNode([install.cli, 'run', script, '--if-present'], {
      cwd: dir,
      env: { ...childEnv('script'), [SCRIPT_MARKER]: marker },
      group: marker,
      inherit: true
    })
  } finally {
    core.info(`::${resume}::`)
  }
  if (result.exitCode !== 0) {
    throw new PublishError(
      'PUBLISH_FAILED',
      `The "${script}" script of ${dir} failed with exit code ${result.exitCode}${result.signal ? ` (${result.signal})` : ''}; its output is in the "npm run ${script}" group above`,
      'Fix the script, or set `ignore-scripts: true` if you build in an earlier step.'
    )
  }
  return result.killed
}

/**
 * The first `npm error` line that says something: not `npm notice` / `npm warn` lines, not
 * `code` / `errno` / `syscall` / the log path, and without the status npm repeats in front.
 */
export function stderrSummary(stderr: string): string {
  for (const line of stderr.split('\n')) {
    const text = /^npm (?:error|ERR!) (.*)$/.exec(line.trim())?.[1]?.trim()
    if (!text || /^(code|errno|syscall) \S+$|^A complete log/.test(text)) continue
    const message = text.replace(/^\d{3}\s+/, '').trim()
    if (message) return message
  }
  return 'no detail'
}
