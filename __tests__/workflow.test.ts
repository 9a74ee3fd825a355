import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as workflow from '../src/workflow.js'
import { captureStdout } from './helpers/stdout.js'

/** Our workflow commands must be byte-for-byte what @actions/core writes (delimiters aside). */
let dir: string
let stdout: string[]

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-workflow-'))
  stdout = captureStdout()
})

afterEach(() => {
  jest.restoreAllMocks()
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'INPUT_MY_INPUT'])
    delete process.env[name]
  process.exitCode = undefined
  fs.rmSync(dir, { recursive: true, force: true })
})

const awkward = 'line one\nline two\r\n100% done: a, b'

/** What `run` wrote to stdout and to the command files, delimiters normalised. */
function capture(run: () => void): { stdout: string; output: string; state: string } {
  stdout.length = 0
  for (const [name, file] of [
    ['GITHUB_OUTPUT', 'output'],
    ['GITHUB_STATE', 'state']
  ]) {
    process.env[name] = path.join(dir, file)
    fs.writeFileSync(path.join(dir, file), '')
  }
  run()
  const read = (file: string) =>
    fs.readFileSync(path.join(dir, file), 'utf8').replace(/ghadelimiter_[0-9a-f-]+/g, 'DELIM')
  return { stdout: stdout.join(''), output: read('output'), state: read('state') }
}

describe('workflow commands', () => {
  it.each([
    ['info', (api: typeof workflow | typeof core) => api.info(awkward)],
    ['warning', (api: typeof workflow | typeof core) => api.warning(awkward)],
    [
      'startGroup/endGroup',
      (api: typeof workflow | typeof core) => {
        api.startGroup('npm publish')
        api.endGroup()
      }
    ],
    ['saveState', (api: typeof workflow | typeof core) => api.saveState('credentialsDir', awkward)]
  ])('%s matches @actions/core', (_name, call) => {
    expect(capture(() => call(workflow))).toEqual(capture(() => call(core)))
  })

  it('setOutputs writes, in one append, what one core.setOutput per output writes', () => {
    const outputs = { published: 'true', integrity: awkward, 'error-code': '' }
    const append = jest.spyOn(fs, 'appendFileSync')
    const ours = capture(() => workflow.setOutputs(outputs))
    expect(append).toHaveBeenCalledTimes(1)
    append.mockRestore()
    const theirs = capture(() => {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
    })
    expect(ours).toEqual(theirs)
  })

  it('setSecrets writes what one core.setSecret per secret writes', () => {
    const secrets = ['npm_abc', awkward, 'bnBtX2FiYw==']
    const ours = capture(() => workflow.setSecrets(secrets))
    expect(ours).toEqual(capture(() => secrets.forEach((secret) => core.setSecret(secret))))
  })

  it('setFailed matches @actions/core and sets the exit code without exiting', () => {
    const ours = capture(() => workflow.setFailed(awkward))
    expect(process.exitCode).toBe(1)
    process.exitCode = undefined
    expect(ours).toEqual(capture(() => core.setFailed(awkward)))
  })

  it('falls back to the stdout commands without command files, as core does', () => {
    const run = (setOutput: () => void, api: typeof workflow | typeof core) => {
      stdout.length = 0
      setOutput()
      api.saveState('key', 'v')
      return stdout.join('')
    }
    expect(run(() => workflow.setOutputs({ name: 'value' }), workflow)).toEqual(
      run(() => core.setOutput('name', 'value'), core)
    )
  })

  it('reads inputs the way the runner names them', () => {
    process.env['INPUT_MY_INPUT'] = '  raw  '
    expect(workflow.getInput('my input')).toBe('  raw  ')
    expect(workflow.getInput('My_Input')).toBe('  raw  ')
    expect(workflow.getInput('other')).toBe('')
  })

  it('appends to the job summary, and does nothing without one', () => {
    workflow.appendSummary('ignored')
    const file = path.join(dir, 'summary')
    fs.writeFileSync(file, '# before\n')
    process.env['GITHUB_STEP_SUMMARY'] = file
    workflow.appendSummary('## after\n')
    expect(fs.readFileSync(file, 'utf8')).toBe('# before\n## after\n')
  })
})
