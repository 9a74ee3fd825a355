import { describe, expect, it } from '@jest/globals'
import { parseJsonOutput, stderrSummary } from '../src/npm.js'

describe('parseJsonOutput', () => {
  it('reads npm --json output, skipping a leading notice', () => {
    expect(parseJsonOutput('npm notice x\n{"a": {"id": "a@1"}}\n')).toEqual({ a: { id: 'a@1' } })
    expect(parseJsonOutput('[{"integrity":"sha512-x"}]')).toEqual([{ integrity: 'sha512-x' }])
  })

  it('reads the indented document npm 11 prints', () => {
    const stdout =
      '{\n  "id": "@acme/tool@1.0.0",\n  "files": [\n    {"path": "index.js"}\n  ]\n}\n'
    expect(parseJsonOutput(stdout)).toEqual({
      id: '@acme/tool@1.0.0',
      files: [{ path: 'index.js' }]
    })
  })

  it('gives undefined for output that holds no JSON document, or a broken one', () => {
    expect(parseJsonOutput('nothing')).toBeUndefined()
    expect(parseJsonOutput('')).toBeUndefined()
    expect(parseJsonOutput('{"cut": ')).toBeUndefined()
    // A brace inside a line is not a document's start.
    expect(parseJsonOutput('npm notice {not json}\n')).toBeUndefined()
  })
})

describe('stderrSummary', () => {
  it('takes the first `npm error` line that says something, without the status npm repeats', () => {
    const stderr = [
      'npm notice Publishing to https://registry.npmjs.org/ with tag latest and default access',
      'npm warn publish npm auto-corrected some errors in your package.json',
      'npm error code E403',
      'npm error errno E403',
      'npm error 403 403 Forbidden - PUT https://registry.npmjs.org/x - You do not have permission',
      'npm error 403 In most cases, you or one of your dependencies are requesting',
      'npm error A complete log of this run can be found in: /tmp/x/logs/debug-0.log'
    ].join('\n')
    expect(stderrSummary(stderr)).toBe(
      '403 Forbidden - PUT https://registry.npmjs.org/x - You do not have permission'
    )
  })

  it('reads the older `npm ERR!` prefix and skips syscall lines', () => {
    const stderr =
      'npm ERR! code ECONNREFUSED\nnpm ERR! syscall connect\nnpm ERR! connect ECONNREFUSED 127.0.0.1:9\n'
    expect(stderrSummary(stderr)).toBe('connect ECONNREFUSED 127.0.0.1:9')
  })

  it('says "no detail" when npm said nothing useful', () => {
    expect(stderrSummary('')).toBe('no detail')
    expect(
      stderrSummary(
        'npm error code E500\nnpm error A complete log of this run can be found in: x\n'
      )
    ).toBe('no detail')
    expect(stderrSummary('some other tool failed\n')).toBe('no detail')
  })
})
