import * as core from '@actions/core'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { PublishError } from './errors.js'
import type { PrivateDir } from './credentials.js'
import { SCRIPT_MARKER, killLeftovers, type Killed } from './leftovers.js'
import { childEnv } from './npm-env.js'
import { findNpm } from './npm-install.js'
import { collect, runNpmJob, type NpmResult as WorkerResult } from './npm-worker.js'
import { redact } from './secrets.js'

/**
 * The one module that starts npm: our own spawner, not @actions/exec — npm gets the token on its
 * stdin from a wrapper that runs it in-process, lifecycle scripts need a process group of their
 * own, and signals are forwarded to the group. Never throws for a non-zero exit: the caller
 * decides.
 */
export interface NpmResult extends WorkerResult {
  /** The `--json` document npm printed on stdout, if any. */
  json?: unknown
}

async function runNpm(
  argv: string[],
  cwd: string,
  options: { token?: string; idToken?: boolean } = {}
): Promise<NpmResult> {
  let result: WorkerResult
  const begun = performance.now()
  try {
    result = await runNpmJob({ argv, cwd, token: options.token, idToken: options.idToken })
    core.debug(
      `npm ${argv[0]}: exit ${result.exitCode} after ${Math.round(performance.now() - begun)} ms`
    )
  } catch (error) {
    throw new PublishError(
      'PUBLISH_FAILED',
      `Could not start npm: ${error instanceof Error ? error.message : String(error)}`,
      'Install Node.js and npm on the runner (actions/setup-node) before this step.'
    )
  }
  return { ...result, json: parseJsonOutput(result.stdout) }
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
  /** A package directory or a .tgz (absolute). */
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
export function npmPublish(
  args: PublishArgs,
  dir: PrivateDir,
  token: string | undefined
): Promise<NpmResult> {
  const argv = [
    ...(args.stage ? ['stage', 'publish'] : ['publish']),
    args.target,
    ...publishFlags(args, dir)
  ]
  if (args.dryRun) argv.push('--dry-run')
  return runNpm(argv, dir.dir, { token, idToken: args.provenance === true })
}

/** What every `npm publish` the action runs is given after its command and target. */
function publishFlags(
  args: Pick<PublishArgs, 'tag' | 'access' | 'provenance' | 'registry' | 'timeoutMs'>,
  dir: PrivateDir
): string[] {
  const flags = [
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
  if (args.access) flags.push('--access', args.access)
  if (args.provenance === true) flags.push('--provenance')
  if (args.provenance === false) flags.push('--provenance=false')
  return flags
}

/**
 * Several package directories published by ONE npm, in the order given (`npm publish --workspaces`
 * awaits each upload before it starts the next, and stops at the first failure): one npm start for
 * the lot instead of one per package. Its workspace is a throw-away root in the private dir — a
 * package.json there listing links to the directories — so npm's project config is still the
 * private dir's own, as for every other npm the action runs; the root is private and never
 * published. Everything else as `npmPublish` (no stage, no dry run, no provenance: those publish
 * one by one).
 */
export async function npmPublishBatch(
  args: Omit<PublishArgs, 'target' | 'stage' | 'dryRun' | 'provenance'> & {
    dirs: string[]
    provenance?: false
  },
  dir: PrivateDir,
  token: string
): Promise<NpmResult> {
  const links = path.join(dir.dir, 'batch')
  const root = path.join(dir.dir, 'package.json')
  fs.mkdirSync(links, { mode: 0o700 })
  try {
    const workspaces = args.dirs.map((target, index) => {
      const link = `batch/${String(index).padStart(4, '0')}`
      fs.symlinkSync(target, path.join(dir.dir, link), 'dir')
      return link
    })
    fs.writeFileSync(
      root,
      JSON.stringify({ name: 'npm-automation-publish-batch', private: true, workspaces }),
      { mode: 0o600, flag: 'wx' }
    )
    const argv = [
      'publish',
      '--workspaces',
      ...publishFlags(args, dir).filter((flag) => flag !== '--no-workspaces')
    ]
    return await runNpm(argv, dir.dir, { token })
  } finally {
    fs.rmSync(root, { force: true })
    fs.rmSync(links, { recursive: true, force: true })
  }
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
  const result = await runNpm(
    [
      'pack',
      ...dirs,
      '--json',
      '--ignore-scripts',
      '--pack-destination',
      dir.packs,
      ...(dryRun ? ['--dry-run'] : []),
      ...pinnedConfig(dir)
    ],
    dir.dir
  )
  const entries = Array.isArray(result.json) ? (result.json as Record<string, unknown>[]) : []
  if (result.exitCode !== 0 || entries.length !== dirs.length) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `npm pack could not pack ${dirs.join(', ')}: ${stderrSummary(redact(result.stderr))}`
    )
  }
  return entries.map((entry) => {
    const text = (key: string): string => (typeof entry[key] === 'string' ? entry[key] : '')
    return {
      name: text('name'),
      version: text('version'),
      file:
        dryRun || !text('filename')
          ? undefined
          : path.join(dir.packs, path.basename(text('filename'))),
      integrity: text('integrity'),
      shasum: text('shasum')
    }
  })
}

let version: Promise<string> | undefined

/** The npm's version, asked once (only the OIDC and stage paths need it). */
export function npmVersion(): Promise<string> {
  version ??= runNpm(['--version'], path.dirname(findNpm().cli)).then(
    (result) => result.stdout.trim().split('\n').pop() ?? ''
  )
  return version
}

/**
 * A lifecycle script, as its own `npm run` in a process group of its own, with no credential
 * anywhere in reach; whatever it leaves running is killed when it exits. Its output goes to the
 * log, where workflow commands in it are not obeyed.
 */
export async function npmRunScript(dir: string, script: string): Promise<Killed | undefined> {
  const install = findNpm()
  const marker = crypto.randomUUID()
  const resume = crypto.randomUUID()
  core.info(`::stop-commands::${resume}`)
  let result: WorkerResult
  let killed: Killed | undefined
  try {
    const child = spawn(install.node, [install.cli, 'run', script, '--if-present'], {
      cwd: dir,
      env: { ...childEnv('script'), [SCRIPT_MARKER]: marker },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
      windowsHide: true
    })
    try {
      result = await collect(child, true)
    } finally {
      killed = killLeftovers(child.pid, marker)
    }
  } catch (error) {
    throw new PublishError(
      'PUBLISH_FAILED',
      `Could not run the "${script}" script: ${error instanceof Error ? error.message : String(error)}`
    )
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
  return killed
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
