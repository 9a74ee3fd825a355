import fs from 'node:fs'
import { PublishError } from './errors.js'

/**
 * The runner's files, checked before anything depends on them: RUNNER_TEMP a directory, the
 * state and output files regular files (a directory would fail late, a FIFO would hang the step).
 * The job summary is only a warning: see `summaryFile`.
 */
export function checkRunnerFiles(env: NodeJS.ProcessEnv = process.env): void {
  const temp = env['RUNNER_TEMP']
  if (temp) {
    const stat = statOf(temp)
    if (!stat?.isDirectory()) {
      throw new PublishError(
        'RUNNER_INVALID',
        `RUNNER_TEMP (${temp}) ${stat ? 'is not a directory' : 'does not exist'}`
      )
    }
  }
  for (const name of ['GITHUB_STATE', 'GITHUB_OUTPUT']) {
    const file = env[name]
    if (!file) continue
    const stat = statOf(file)
    if (stat && !stat.isFile()) {
      throw new PublishError(
        'RUNNER_INVALID',
        `${name} (${file}) is not a regular file, so the step could not ${name === 'GITHUB_STATE' ? 'hand its clean-up to the post step' : 'set its outputs'}`
      )
    }
  }
}

/** The job summary file when it is one the step can append to without blocking, else why not. */
export function summaryFile(env: NodeJS.ProcessEnv = process.env): {
  file?: string
  problem?: string
} {
  const file = env['GITHUB_STEP_SUMMARY']
  if (!file) return { problem: 'GITHUB_STEP_SUMMARY is not set' }
  const stat = statOf(file)
  if (!stat) return { problem: `${file} does not exist` }
  if (!stat.isFile()) return { problem: `${file} is not a regular file` }
  return { file }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file)
  } catch {
    return undefined
  }
}
