import { expect } from '@jest/globals'
import type { runAction } from '../../scripts/lib/runner.mjs'
import { findLeaks, leftovers, runSources } from './leaks.js'

type Run = Awaited<ReturnType<typeof runAction>>

/** The post step ran clean, nothing is left under RUNNER_TEMP, and `secret` leaked nowhere. */
export function expectClean(run: Run, secret: string): void {
  expect(run.post?.exitCode).toBe(0)
  expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
  expect(findLeaks(secret, runSources(run))).toEqual([])
}

/** Failed with `code` in one annotation (title = the code), nothing published; returns its text. */
export function expectRefused(run: Run, code: string): string {
  expect(run.main.exitCode).toBe(1)
  expect(run.outputs['error-code']).toBe(code)
  expect(run.outputs['published']).toBe('false')
  const errors = run.main.stdout.split('\n').filter((line) => line.startsWith('::error'))
  expect(errors).toHaveLength(1)
  expect(errors[0]).toContain(`title=${code}::`)
  return errors[0]
}

/** npm never started a publish (its output is grouped under "npm publish"). */
export function expectNoUpload(run: Run): void {
  expect(run.main.stdout).not.toContain('::group::npm publish')
}
