import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Private directories are named so; the post step removes nothing else. */
export const DIR_PREFIX = 'npm-automation-publish-'

/**
 * Where private directories are made: the runner's per-job temp dir, never the workspace or ~.
 * Outside a runner, the OS temp dir (mkdtemp's 0700 directory keeps other users out).
 */
export function tempRoot(): string {
  return process.env['RUNNER_TEMP'] || os.tmpdir()
}

/**
 * Overwrites the .npmrc (only a regular file, never through a link), then removes the whole
 * private dir (npm's logs, cache and packed tarballs with it). Follows no symbolic link.
 */
export function scrub(dir: string): void {
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(dir)
  } catch {
    return // already gone
  }
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory (a link, or a file)`)
  const npmrc = path.join(dir, '.npmrc')
  try {
    const fd = fs.openSync(npmrc, fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW)
    try {
      const { size } = fs.fstatSync(fd)
      if (fs.fstatSync(fd).isFile()) fs.writeSync(fd, Buffer.alloc(size), 0, size, 0)
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    // absent, or not a file of ours to overwrite: removed below either way
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
}

/**
 * Post-step backstop: removes the directory main saved, only if it is one of ours directly under
 * the temp root and a real directory (the state value is never trusted to point anywhere else,
 * and a link named like ours is left alone). Returns what happened.
 */
export function scrubLeftovers(saved: string): 'none' | 'removed' | 'clean' | 'refused' {
  if (!saved) return 'none'
  const root = path.resolve(tempRoot())
  const dir = path.resolve(saved)
  if (path.dirname(dir) !== root || !path.basename(dir).startsWith(DIR_PREFIX)) return 'refused'
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(dir)
  } catch {
    return 'clean'
  }
  if (!stat.isDirectory()) return 'refused'
  scrub(dir)
  return 'removed'
}
