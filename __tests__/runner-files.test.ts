/**
 * The runner's files are checked before anything relies on them: a directory where a command file
 * should be fails late, and a FIFO would block the step forever on its first write.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PublishError } from '../src/errors.js'
import { checkRunnerFiles, summaryFile } from '../src/runner-files.js'

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-runner-files-'))
afterAll(() => {
  fs.rmSync(sandbox, { recursive: true, force: true })
})

const temp = path.join(sandbox, 'temp')
const file = path.join(sandbox, 'file')
const dir = path.join(sandbox, 'dir')
const fifo = path.join(sandbox, 'fifo')
const fileLink = path.join(sandbox, 'file-link')
const fifoLink = path.join(sandbox, 'fifo-link')
const missing = path.join(sandbox, 'missing')
fs.mkdirSync(temp)
fs.mkdirSync(dir)
fs.writeFileSync(file, '')
execFileSync('mkfifo', [fifo])
fs.symlinkSync(file, fileLink)
fs.symlinkSync(fifo, fifoLink)

/** A runner's environment, with `overrides` on top. */
function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { RUNNER_TEMP: temp, GITHUB_STATE: file, GITHUB_OUTPUT: file, ...overrides }
}

function failure(e: NodeJS.ProcessEnv): PublishError | undefined {
  try {
    checkRunnerFiles(e)
  } catch (error) {
    if (error instanceof PublishError) return error
    throw error
  }
  return undefined
}

describe('checkRunnerFiles', () => {
  it('accepts a runner’s layout, a command file behind a symlink, and variables not set', () => {
    expect(failure(env())).toBeUndefined()
    expect(failure(env({ GITHUB_OUTPUT: fileLink, GITHUB_STATE: fileLink }))).toBeUndefined()
    expect(failure({})).toBeUndefined()
  })

  it('refuses a RUNNER_TEMP that does not exist or is not a directory', () => {
    expect(failure(env({ RUNNER_TEMP: missing }))).toMatchObject({
      code: 'RUNNER_INVALID',
      message: `RUNNER_TEMP (${missing}) does not exist`
    })
    expect(failure(env({ RUNNER_TEMP: file }))).toMatchObject({
      code: 'RUNNER_INVALID',
      message: `RUNNER_TEMP (${file}) is not a directory`
    })
  })

  it.each([
    ['GITHUB_STATE', 'a directory', dir, 'hand its clean-up to the post step'],
    ['GITHUB_STATE', 'a FIFO', fifo, 'hand its clean-up to the post step'],
    ['GITHUB_OUTPUT', 'a directory', dir, 'set its outputs'],
    ['GITHUB_OUTPUT', 'a FIFO', fifo, 'set its outputs'],
    ['GITHUB_OUTPUT', 'a symlink to a FIFO', fifoLink, 'set its outputs'],
    ['GITHUB_OUTPUT', 'a device', '/dev/null', 'set its outputs']
  ])('refuses %s that is %s, without opening it', (name, _label, value, why) => {
    const error = failure(env({ [name]: value }))
    expect(error?.code).toBe('RUNNER_INVALID')
    expect(error?.message).toBe(
      `${name} (${value}) is not a regular file, so the step could not ${why}`
    )
  })

  it('leaves a command file that does not exist yet to the toolkit (the runner creates them)', () => {
    expect(failure(env({ GITHUB_OUTPUT: missing }))).toBeUndefined()
  })
})

describe('summaryFile', () => {
  it('returns a regular file, also behind a symlink', () => {
    expect(summaryFile({ GITHUB_STEP_SUMMARY: file })).toEqual({ file })
    expect(summaryFile({ GITHUB_STEP_SUMMARY: fileLink })).toEqual({ file: fileLink })
  })

  it.each([
    ['not set', undefined, 'GITHUB_STEP_SUMMARY is not set'],
    ['missing', missing, `${missing} does not exist`],
    ['a directory', dir, `${dir} is not a regular file`],
    ['a FIFO', fifo, `${fifo} is not a regular file`],
    ['a symlink to a FIFO', fifoLink, `${fifoLink} is not a regular file`],
    ['a device', '/dev/null', '/dev/null is not a regular file']
  ])('gives no file when it is %s, saying why', (_label, value, problem) => {
    expect(summaryFile({ GITHUB_STEP_SUMMARY: value })).toEqual({ problem })
  })
})
