import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { PublishError } from './errors.js'
import type { Credentials } from './credentials.js'
import { TOKEN_VARIABLE } from './credentials.js'
import { retryPolicy } from './registry.js'

/** The one place that starts npm. Never throws for a non-zero exit: the caller decides. */
export interface NpmResult {
  exitCode: number
  stdout: string
  stderr: string
  /** The `--json` document npm printed on stdout, if any. */
  json?: unknown
}

/** Network settings a runner may legitimately pass to npm; every other npm_config_* is dropped. */
const KEPT_NPM_CONFIG = new Set(['proxy', 'https_proxy', 'http_proxy', 'noproxy', 'cafile', 'ca'])

/**
 * The child's environment: inherited credentials and npm config (setup-node's job-wide
 * NPM_CONFIG_USERCONFIG, NODE_AUTH_TOKEN...) and the action's own inputs removed, then `extra` added.
 * `idToken` keeps the OIDC request variables, which only a provenance publish needs.
 */
export function childEnv(
  extra: Record<string, string> = {},
  options: { idToken?: boolean; nodeOptions?: boolean } = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    const lower = name.toLowerCase()
    if (lower.startsWith('npm_config_') && !KEPT_NPM_CONFIG.has(lower.slice(11).replace(/-/g, '_')))
      continue
    if (/^(input|state)_/.test(lower)) continue
    if (['node_auth_token', 'npm_token', TOKEN_VARIABLE.toLowerCase()].includes(lower)) continue
    if (lower.startsWith('actions_id_token_request_') && !options.idToken) continue
    // NODE_OPTIONS could --require code into the npm that holds the token.
    if (lower === 'node_options' && !options.nodeOptions) continue
    env[name] = value
  }
  return { ...env, ...extra }
}

/**
 * How to start the npm on PATH. On Windows, `node npm-cli.js` from npm.cmd's folder, with no
 * cmd.exe in between: cmd would expand %VARS% inside arguments, and a signal would stop cmd, not
 * the npm holding the token. Only when that layout is not found, npm.cmd through the shell.
 */
export function npmCommand(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = fs.existsSync
): { file: string; prefix: string[]; shell: boolean } {
  if (platform !== 'win32') return { file: 'npm', prefix: [], shell: false }
  const PATH = env['PATH'] ?? env['Path'] ?? ''
  for (const dir of PATH.split(';').filter(Boolean)) {
    const cli = path.win32.join(dir, 'node_modules', 'npm', 'bin', 'npm-cli.js')
    if (!exists(path.win32.join(dir, 'npm.cmd')) || !exists(cli)) continue
    const node = path.win32.join(dir, 'node.exe')
    return { file: exists(node) ? node : 'node.exe', prefix: [cli], shell: false }
  }
  return { file: 'npm.cmd', prefix: [], shell: true }
}

/** Runs npm without a shell, capturing its output. */
export function runNpm(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; inheritOutput?: boolean }
): Promise<NpmResult> {
  const npm = npmCommand()
  const argv = [...npm.prefix, ...(npm.shell ? args.map(quoteForCmd) : args)]
  return new Promise((resolve, reject) => {
    const child = spawn(npm.file, argv, {
      cwd: options.cwd,
      env: options.env,
      shell: npm.shell,
      stdio: [
        'ignore',
        options.inheritOutput ? 'inherit' : 'pipe',
        options.inheritOutput ? 'inherit' : 'pipe'
      ],
      windowsHide: true
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal)
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
    child.on('close', (code, signal) => {
      done()
      const out = Buffer.concat(stdout).toString('utf8')
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: out,
        stderr: Buffer.concat(stderr).toString('utf8'),
        json: parseJsonOutput(out)
      })
    })
  })
}

function quoteForCmd(arg: string): string {
  return /^[\w@./:=,+-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`
}

export function parseJsonOutput(stdout: string): unknown {
  const start = stdout.search(/[[{]/)
  if (start < 0) return undefined
  try {
    return JSON.parse(stdout.slice(start))
  } catch {
    return undefined
  }
}

export interface PublishArgs {
  /** `npm stage publish` (approved later on the registry) instead of `npm publish`. */
  stage: boolean
  target: string
  tag: string
  access?: string
  provenance: boolean
  dryRun: boolean
  registry: URL
}

/**
 * `npm publish`, scripts off, no npm-level retries, config and logs from the private dir only.
 * Not `--force`: it would save npm's own packument read just before the upload, the last check
 * that nobody published the version since the preflight (a registry that allows overwrites
 * would take the upload; a provenance statement would be signed first).
 */
export function npmPublish(args: PublishArgs, credentials: Credentials): Promise<NpmResult> {
  const argv = [
    ...(args.stage ? ['stage', 'publish'] : ['publish']),
    args.target,
    '--json',
    '--ignore-scripts',
    '--fetch-retries=0',
    // npm's default is 5 minutes per request: a stalled PUT would hold the job that long.
    `--fetch-timeout=${retryPolicy().timeoutMs * 6}`,
    '--tag',
    args.tag,
    '--registry',
    args.registry.href,
    '--userconfig',
    credentials.npmrc,
    '--logs-dir',
    path.join(credentials.dir, 'logs'),
    '--cache',
    path.join(credentials.dir, 'cache'),
    '--no-workspaces',
    '--audit=false',
    '--fund=false',
    '--update-notifier=false'
  ]
  if (args.access) argv.push('--access', args.access)
  if (args.provenance) argv.push('--provenance')
  if (args.dryRun) argv.push('--dry-run')
  return runNpm(argv, {
    cwd: credentials.dir,
    env: childEnv(credentials.env, { idToken: args.provenance })
  })
}

/** The integrity npm will publish a directory with: `npm pack --dry-run` (nothing written). */
export async function npmPackIntegrity(
  dir: string,
  scratch: string
): Promise<{ integrity: string; shasum: string }> {
  const result = await runNpm(
    [
      'pack',
      dir,
      '--dry-run',
      '--json',
      '--ignore-scripts',
      '--no-workspaces',
      '--logs-dir',
      path.join(scratch, 'logs'),
      '--cache',
      path.join(scratch, 'cache')
    ],
    { cwd: scratch, env: childEnv() }
  )
  const first = Array.isArray(result.json) ? (result.json[0] as Record<string, unknown>) : undefined
  if (result.exitCode !== 0 || typeof first?.['integrity'] !== 'string') {
    throw new PublishError(
      'PACKAGE_INVALID',
      `npm pack could not pack ${dir}: ${stderrSummary(result.stderr)}`
    )
  }
  return {
    integrity: first['integrity'],
    shasum: typeof first['shasum'] === 'string' ? first['shasum'] : ''
  }
}

let version: Promise<string> | undefined

/** The npm on PATH's version, asked once (only the OIDC and stage paths need it). */
export function npmVersion(): Promise<string> {
  version ??= runNpm(['--version'], { cwd: process.cwd(), env: childEnv() }).then(
    (result) => result.stdout.trim().split('\n').pop() ?? ''
  )
  return version
}

/** A lifecycle script, run as its own `npm run` with no credential anywhere in reach. */
export async function npmRunScript(dir: string, script: string): Promise<void> {
  const result = await runNpm(['run', script, '--if-present'], {
    cwd: dir,
    env: childEnv({}, { nodeOptions: true }),
    inheritOutput: true
  })
  if (result.exitCode !== 0) {
    throw new PublishError(
      'PUBLISH_FAILED',
      `The "${script}" script failed with exit code ${result.exitCode}`,
      'Fix the script (its output is above), or set `ignore-scripts: true` if you build in an earlier step.'
    )
  }
}

/**
 * The first `npm error` line that says something: not `npm notice` / `npm warn` lines (a runner's
 * "Unknown user config" warning comes first), not `code` / `errno` / `syscall` / the log path, and
 * without the status npm repeats in front (`npm error 404 Not Found - PUT ...`).
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
