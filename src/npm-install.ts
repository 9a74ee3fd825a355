import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import which from 'which'
import { PublishError } from './errors.js'

/** The npm the action runs: the `node` on PATH and npm's own entry file, as absolute paths. */
export interface NpmInstall {
  node: string
  cli: string
  /** npm's package directory (`.../node_modules/npm`). */
  root: string
}

let found: NpmInstall | undefined

/**
 * Finds the npm on PATH once, before any package code runs: afterwards the same files are used
 * by absolute path, so a script cannot put another `npm` or `node` first on PATH. npm always runs
 * as `node npm-cli.js` — on Windows too, where npm.cmd would go through cmd.exe (which expands
 * %VARIABLES% inside arguments and leaves a signalled npm running). Synchronous (npm's own
 * `which`), so the first npm can start before the rest of the action has loaded.
 */
export function findNpm(): NpmInstall {
  found ??= locate()
  return found
}

function locate(): NpmInstall {
  const windows = process.platform === 'win32'
  const node = which.sync(windows ? 'node.exe' : 'node', { nothrow: true })
  const npm = which.sync(windows ? 'npm.cmd' : 'npm', { nothrow: true })
  const candidates: string[] = []
  if (npm) {
    const real = fs.realpathSync(npm)
    // POSIX installs link bin/npm to .../npm/bin/npm-cli.js; npm.cmd and bin/npm sit beside it.
    candidates.push(
      real.endsWith('npm-cli.js') ? real : path.join(path.dirname(real), 'npm-cli.js')
    )
    candidates.push(path.join(path.dirname(npm), 'node_modules', 'npm', 'bin', 'npm-cli.js'))
  }
  if (node) {
    const dir = path.dirname(fs.realpathSync(node))
    candidates.push(path.join(dir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'))
    candidates.push(path.join(dir, 'node_modules', 'npm', 'bin', 'npm-cli.js'))
  }
  const cli = candidates.find((file) => isFile(file))
  if (!node || !cli) {
    throw new PublishError(
      'PUBLISH_FAILED',
      !node
        ? 'No `node` on PATH to run npm with'
        : `npm's entry file (npm-cli.js) was not found from the npm on PATH (${npm || 'none'})`,
      'Install Node.js and npm on the runner with actions/setup-node before this step (the action runs npm as `node npm-cli.js`, never through a shell).'
    )
  }
  const realCli = fs.realpathSync(cli)
  return { node: fs.realpathSync(node), cli: realCli, root: path.dirname(path.dirname(realCli)) }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * A fingerprint of the node binary and every file of npm's package (path, size, mtime, inode): a
 * lifecycle script that rewrites npm (same user, same files) before the publish is caught.
 */
export function fingerprint(install: NpmInstall): string {
  const hash = crypto.createHash('sha256')
  const add = (file: string, stat: fs.Stats): void => {
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\0${stat.ino}\0${stat.mode}\n`)
  }
  add(install.node, fs.statSync(install.node))
  for (const entry of fs.readdirSync(install.root, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name)
    if (entry.isFile() || entry.isSymbolicLink()) add(file, fs.lstatSync(file))
  }
  return hash.digest('hex')
}

/** Keys of npm's builtin config that would route the upload or change its credentials. */
const ROUTING_KEY =
  /^(registry|scope|@[^:]+:registry|\/\/.*|_auth.*|.*token.*|.*password.*|username|.*proxy|strict-ssl|ca|cafile|cert|key|userconfig|globalconfig|prefix|replace-registry-host)$/i

/**
 * npm always reads `<npm>/npmrc` (its builtin config) and no flag moves it: refuse to hand the
 * token to an npm whose builtin config routes requests or sets credentials.
 */
export function checkBuiltinConfig(install: NpmInstall): void {
  const file = path.join(install.root, 'npmrc')
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return // none: the usual case (setup-node, the toolcache)
  }
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !/^[#;]/.test(line))
    .map((line) => line.split('=')[0].trim())
    .filter((key) => ROUTING_KEY.test(key))
  if (keys.length) {
    throw new PublishError(
      'RUNNER_INVALID',
      `npm's builtin config ${file} sets ${[...new Set(keys)].join(', ')}, which would decide where the token goes; the action cannot override it`,
      'Use an npm without a builtin npmrc (actions/setup-node installs one), or remove those keys from it.'
    )
  }
}
