import { errorMessage } from './errors.js'
import * as workflow from './workflow.js'
import fs from 'node:fs'
import path from 'node:path'
import { DIR_PREFIX, scrub, tempRoot } from './scrub.js'
import { STATE } from './state.js'

/** The variable npm expands in the auth line; it exists only in the publishing npm's environment. */
export const TOKEN_VARIABLE = 'NPM_AUTOMATION_PUBLISH_TOKEN'

export interface Credentials {
  /** Private directory (0700): npm's cwd, userconfig, logs and cache all live here. */
  dir: string
  npmrc: string
  /** What the publishing npm's environment adds: the token, under TOKEN_VARIABLE. */
  env: Record<string, string>
}

/** `//host[:port]/path/:_authToken=${VAR}` — npm sends the token only to URLs under this prefix. */
export function authLine(registry: URL): string {
  const pathname = registry.pathname.endsWith('/') ? registry.pathname : `${registry.pathname}/`
  return `//${registry.host}${pathname}:_authToken=\${${TOKEN_VARIABLE}}`
}

export function npmrcText(registry: URL, packageName: string, withAuth: boolean): string {
  const lines = [`registry=${registry.href}`]
  // A global `@scope:registry=` must not send a scoped package elsewhere.
  if (packageName.startsWith('@'))
    lines.push(`${packageName.split('/')[0]}:registry=${registry.href}`)
  if (withAuth) lines.push(authLine(registry))
  return `${lines.join('\n')}\n`
}

/**
 * The one owner of the credentials: makes the private dir and .npmrc, runs `task`, and removes
 * both afterwards — in `finally`, on SIGINT/SIGTERM, and (from the saved state) in the post step.
 */
export async function withNpmrc<T>(
  registry: URL,
  packageName: string,
  token: string | undefined,
  task: (credentials: Credentials) => Promise<T>
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(tempRoot(), DIR_PREFIX))
  fs.chmodSync(dir, 0o700)
  workflow.saveState(STATE.credentialsDir, dir) // before anything token-related exists, so the post step can find it
  const npmrc = path.join(dir, '.npmrc')
  const onSignal = (signal: NodeJS.Signals): void => {
    scrubOrWarn(dir)
    process.exitCode = signal === 'SIGINT' ? 130 : 143
    // The npm child gets the signal too; leave if the flow does not wind down by itself, once
    // stdout has drained (the tail of the log must not be lost).
    setTimeout(() => process.stdout.write('', () => process.exit()), 3000).unref()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    fs.writeFileSync(npmrc, npmrcText(registry, packageName, token !== undefined), {
      mode: 0o600,
      flag: 'wx'
    })
    const env: Record<string, string> = token === undefined ? {} : { [TOKEN_VARIABLE]: token }
    return await task({ dir, npmrc, env })
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    scrubOrWarn(dir)
  }
}

/** Clean-up must not turn a publish into a failure: a file still held open is the post step's. */
function scrubOrWarn(dir: string): void {
  try {
    scrub(dir)
  } catch (error) {
    workflow.warning(
      `Could not remove ${dir} yet (${errorMessage(error)}); the post step removes it.`
    )
  }
}
