import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Private directories are named so; the post step removes nothing else. */
export const DIR_PREFIX = 'npm-automation-publish-'

/** Where private directories are made: the runner's per-job temp dir, never the workspace or ~. */
export function tempRoot(): string {
  return process.env['RUNNER_TEMP'] || os.tmpdir()
}

/** Overwrites the .npmrc, then removes the whole private dir (npm's logs and cache with it). */
export function scrub(dir: string): void {
  const npmrc = path.join(dir, '.npmrc')
  try {
    const { size } = fs.statSync(npmrc)
    fs.writeFileSync(npmrc, Buffer.alloc(size))
  } catch {
    // already gone
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
}

/**
 * Post-step backstop: removes the directory main saved, only if it is one of ours under the temp
 * root (the state value is never trusted to point anywhere else). Returns what happened.
 */
export function scrubLeftovers(saved: string): 'none' | 'removed' | 'clean' | 'refused' {
  if (!saved) return 'none'
  const root = path.resolve(tempRoot())
  const dir = path.resolve(saved)
  if (path.dirname(dir) !== root || !path.basename(dir).startsWith(DIR_PREFIX)) return 'refused'
  if (!fs.existsSync(dir)) return 'clean'
  scrub(dir)
  return 'removed'
}
