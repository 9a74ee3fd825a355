import * as core from '@actions/core'
import fs from 'node:fs'
import path from 'node:path'
import { onCancel } from './cancel.js'
import { PublishError, errorMessage } from './errors.js'
import { DIR_PREFIX, scrub, tempRoot } from './scrub.js'
import { STATE } from './state.js'
import { TOKEN_VARIABLE } from './npm-env.js'

export { TOKEN_VARIABLE }

/** `//host[:port]/path/:_authToken=${VAR}` — npm sends the token only to URLs under this prefix. */
export function authLine(registry: URL): string {
  const pathname = registry.pathname.endsWith('/') ? registry.pathname : `${registry.pathname}/`
  return `//${registry.host}${pathname}:_authToken=\${${TOKEN_VARIABLE}}`
}

/** The private .npmrc: the registry, every scope of the run pinned to it, and the auth line. */
export function npmrcText(registry: URL, scopes: string[]): string {
  const lines = [`registry=${registry.href}`]
  // A global `@scope:registry=` must not send a scoped package elsewhere.
  for (const scope of [...new Set(scopes)].sort()) lines.push(`${scope}:registry=${registry.href}`)
  lines.push(authLine(registry))
  return `${lines.join('\n')}\n`
}

/** The scope of a package name (`@acme` of `@acme/tool`), if any. */
export function scopeOf(name: string): string | undefined {
  return name.startsWith('@') ? name.split('/')[0] : undefined
}

/**
 * The private directory of one run (0700, under RUNNER_TEMP): npm's cwd, prefix, configs, logs,
 * cache and every tarball the run publishes. Its path is saved to the step state before anything
 * is written in it; it is removed by `close()`, on SIGINT/SIGTERM, and by the post step. The token
 * itself never lands in it: npm gets it over a pipe, and the .npmrc holds a placeholder.
 */
export class PrivateDir {
  readonly npmrc: string
  /** `--globalconfig`: an empty file, so no global npmrc (PREFIX, DESTDIR...) is read. */
  readonly globalconfig: string
  /** Where `npm pack` writes and tarballs are copied to. */
  readonly packs: string
  private removeListener: () => void

  private constructor(readonly dir: string) {
    this.npmrc = path.join(dir, '.npmrc')
    this.globalconfig = path.join(dir, 'global-npmrc')
    this.packs = path.join(dir, 'packs')
    this.removeListener = onCancel(() => scrubOrWarn(dir))
  }

  static open(): PrivateDir {
    const root = tempRoot()
    const dir = makeDir(root)
    try {
      // Before anything of the run exists in it, so the post step can find it.
      core.saveState(STATE.credentialsDir, dir)
    } catch (error) {
      scrubOrWarn(dir)
      throw new PublishError(
        'RUNNER_INVALID',
        `Could not save the step state (GITHUB_STATE=${process.env['GITHUB_STATE'] ?? ''}): ${errorMessage(error)}; without it the post step could not clean up`
      )
    }
    const owned = new PrivateDir(dir)
    fs.mkdirSync(owned.packs, { mode: 0o700 })
    fs.writeFileSync(owned.globalconfig, '', { mode: 0o600, flag: 'wx' })
    return owned
  }

  /** Writes the .npmrc npm reads (nothing secret in it: the token stays a placeholder). */
  configure(registry: URL, scopes: string[]): void {
    fs.writeFileSync(this.npmrc, npmrcText(registry, scopes), { mode: 0o600, flag: 'wx' })
  }

  close(): void {
    this.removeListener()
    scrubOrWarn(this.dir)
  }
}

function makeDir(root: string): string {
  let stat: fs.Stats
  try {
    stat = fs.statSync(root)
  } catch {
    throw new PublishError('RUNNER_INVALID', `The runner's temp directory ${root} does not exist`)
  }
  if (!stat.isDirectory()) {
    throw new PublishError(
      'RUNNER_INVALID',
      `The runner's temp directory ${root} is not a directory`
    )
  }
  try {
    const dir = fs.mkdtempSync(path.join(root, DIR_PREFIX))
    fs.chmodSync(dir, 0o700)
    return dir
  } catch (error) {
    throw new PublishError(
      'RUNNER_INVALID',
      `Could not make a private directory in ${root}: ${errorMessage(error)}`
    )
  }
}

/** Clean-up must not turn a publish into a failure: a file still held open is the post step's. */
function scrubOrWarn(dir: string): void {
  try {
    scrub(dir)
  } catch (error) {
    core.warning(`Could not remove ${dir} yet (${errorMessage(error)}); the post step removes it.`)
  }
}
