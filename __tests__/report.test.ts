/**
 * The run's report: every output action.yml declares, the `packages` JSON, the failure
 * annotation(s) with the code as title, and a job summary file the step cannot safely append to
 * (a FIFO would block the write forever) skipped with a warning.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { PublishError } from '../src/errors.js'
import { emptyRun, newPackage, type PackageOutcome, type RunOutcome } from '../src/outcome.js'
import { outputsOf, packageOutput, report } from '../src/report.js'
import { maskSecret } from '../src/secrets.js'
import { captureStdout } from './helpers/stdout.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const action = parse(fs.readFileSync(path.join(here, '..', 'action.yml'), 'utf8')) as {
  outputs: Record<string, { description: string }>
}
const OUTPUT_KEYS = Object.keys(action.outputs)

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-report-'))
const saved = { ...process.env }
let outputFile: string

beforeEach(() => {
  outputFile = fs.mkdtempSync(path.join(sandbox, 'run-'))
  outputFile = path.join(outputFile, 'output')
  fs.writeFileSync(outputFile, '')
  process.env['GITHUB_OUTPUT'] = outputFile
  delete process.env['GITHUB_STEP_SUMMARY']
  // core.summary remembers the first file it wrote to; each test names its own.
  ;(core.summary as unknown as { _filePath?: string })._filePath = undefined
})

afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = undefined
})

afterAll(() => {
  fs.rmSync(sandbox, { recursive: true, force: true })
})

const INTEGRITY = `sha512-${'B'.repeat(86)}==`

function published(name = '@acme/tool', extra: Partial<PackageOutcome> = {}): PackageOutcome {
  return {
    ...newPackage(name, '1.2.0', '.'),
    status: 'published',
    tag: 'latest',
    oldVersion: '1.1.0',
    type: 'minor',
    access: 'public',
    integrity: INTEGRITY,
    shasum: 'a'.repeat(40),
    reason: `Published ${name}@1.2.0 under "latest".`,
    ...extra
  }
}

function singleRun(p: PackageOutcome = published()): RunOutcome {
  return {
    ...emptyRun(),
    registry: 'https://registry.npmjs.org/',
    authPath: 'token',
    tokenUser: 'ci-bot',
    tokenCheck: 'passed',
    packages: [p]
  }
}

function workspaceRun(): RunOutcome {
  const forbidden = new PublishError('PUBLISH_FORBIDDEN', 'npm E403: no')
  const conflict = new PublishError('VERSION_CONFLICT', '@acme/c@1.0.0 differs')
  return {
    ...emptyRun(),
    registry: 'https://registry.npmjs.org/',
    workspace: { root: '.', tool: 'npm' },
    packages: [
      published('@acme/a', { where: 'packages/a' }),
      { ...newPackage('@acme/b', '1.0.0', 'packages/b'), status: 'failed', error: forbidden },
      {
        ...newPackage('@acme/c', '1.0.0', 'packages/c'),
        status: 'failed',
        tag: 'latest',
        error: conflict
      },
      { ...newPackage('@acme/d', '2.0.0', 'packages/d'), status: 'tag-moved', tagMoved: true },
      { ...newPackage('@acme/e', '1.0.0', 'packages/e'), status: 'held-back' }
    ],
    error: new PublishError('PUBLISH_FORBIDDEN', '2 problems'),
    stage: 'publish'
  }
}

/** GITHUB_OUTPUT's `name<<delimiter\nvalue\ndelimiter` records. */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = fs.readFileSync(file, 'utf8').split(os.EOL)
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!head) continue
    const value: string[] = []
    for (i++; lines[i] !== head[2]; i++) value.push(lines[i])
    out[head[1]] = value.join(os.EOL)
  }
  return out
}

/** The workflow commands written to stdout. */
function commands(written: string[], name: string): { props: string; message: string }[] {
  return written
    .join('')
    .split(os.EOL)
    .map((line) => new RegExp(`^::${name}(?: ([^:]*))?::(.*)$`).exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ props: m[1] ?? '', message: m[2] }))
}

/** core's escaping of an annotation message. */
const escaped = (text: string): string =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

describe('outputsOf', () => {
  it('sets exactly the outputs action.yml declares, on success and on failure', () => {
    const runs = [
      singleRun(),
      { ...emptyRun(), error: new PublishError('INPUT_INVALID', 'bad'), stage: 'inputs' as const },
      workspaceRun()
    ]
    for (const run of runs)
      expect(Object.keys(outputsOf(run)).sort()).toEqual([...OUTPUT_KEYS].sort())
  })

  it('describes a single published package', () => {
    expect(outputsOf(singleRun())).toEqual({
      published: 'true',
      id: '@acme/tool@1.2.0',
      name: '@acme/tool',
      version: '1.2.0',
      tag: 'latest',
      access: 'public',
      registry: 'https://registry.npmjs.org/',
      'dry-run': 'false',
      integrity: INTEGRITY,
      shasum: 'a'.repeat(40),
      'old-version': '1.1.0',
      type: 'minor',
      'tag-moved': 'false',
      packages: JSON.stringify([packageOutput(published())]),
      'token-user': 'ci-bot',
      'token-check': 'passed',
      'error-code': '',
      'auth-path': 'token',
      'stage-id': ''
    })
  })

  it('removes a secret from `old-version`, which is the registry’s word', () => {
    captureStdout()
    const secret = 'Qw9ZkLmP4vRtYx2BnHs7JdFgCe5UaWo3'
    maskSecret(secret)
    const outputs = outputsOf(singleRun(published('@acme/tool', { oldVersion: `1.1.0-${secret}` })))
    expect(outputs['old-version']).toBe('1.1.0-***')
  })

  it('gives no id for a package that was not uploaded, and the failure’s code', () => {
    const error = new PublishError('VERSION_CONFLICT', 'differs')
    const run = {
      ...singleRun({ ...published(), status: 'failed', error }),
      error,
      stage: 'publish' as const
    }
    const out = outputsOf(run)
    expect(out).toMatchObject({ published: 'false', id: '', 'error-code': 'VERSION_CONFLICT' })
    expect(JSON.parse(out['packages'])).toEqual([
      expect.objectContaining({
        published: false,
        status: 'failed',
        'error-code': 'VERSION_CONFLICT'
      })
    ])
  })

  it('for a workspace: published when any was, per-package values only in `packages`, in order, with the documented keys', () => {
    const out = outputsOf(workspaceRun())
    expect(out['published']).toBe('true')
    expect(out['tag-moved']).toBe('true')
    for (const key of [
      'id',
      'name',
      'version',
      'tag',
      'access',
      'integrity',
      'type',
      'old-version'
    ])
      expect(out[key]).toBe('')
    const documented = /\{([^}]+)\}/
      .exec(action.outputs['packages'].description)?.[1]
      .split(',')
      .map((key) => key.trim())
    expect(documented).toEqual([
      'name',
      'version',
      'published',
      'status',
      'tag',
      'type',
      'integrity',
      'tag-moved',
      'error-code'
    ])
    const packages = JSON.parse(out['packages']) as Record<string, unknown>[]
    for (const p of packages) expect(Object.keys(p)).toEqual(documented)
    expect(packages.map((p) => [p['name'], p['status'], p['published'], p['error-code']])).toEqual([
      ['@acme/a', 'published', true, ''],
      ['@acme/b', 'failed', false, 'PUBLISH_FORBIDDEN'],
      ['@acme/c', 'failed', false, 'VERSION_CONFLICT'],
      ['@acme/d', 'tag-moved', false, ''],
      ['@acme/e', 'held-back', false, '']
    ])
    expect(packages[3]['tag-moved']).toBe(true)
  })

  it('is not published when nothing was uploaded (a promotion is `tag-moved`)', () => {
    const run = singleRun({ ...published(), status: 'tag-moved', tagMoved: true })
    expect(outputsOf(run)).toMatchObject({ published: 'false', id: '', 'tag-moved': 'true' })
  })
})

describe('report', () => {
  it('writes every output through the GITHUB_OUTPUT file', async () => {
    captureStdout()
    const run = singleRun()
    await report(run)
    expect(readOutputs(outputFile)).toEqual(outputsOf(run))
    expect(process.exitCode).toBeUndefined()
  })

  it('reports a failure once: one error annotation titled with the code, exit code 1', async () => {
    const written = captureStdout()
    const error = new PublishError('TOKEN_READONLY', 'The token is read-only\nsee 100% of it')
    await report({ ...singleRun(newPackage('@acme/tool', '1.2.0', '.')), error, stage: 'token' })
    const errors = commands(written, 'error')
    expect(errors).toEqual([{ props: 'title=TOKEN_READONLY', message: escaped(error.sentence) }])
    expect(process.exitCode).toBe(1)
    expect(readOutputs(outputFile)['error-code']).toBe('TOKEN_READONLY')
  })

  it('in a workspace, annotates each failed package with its own code', async () => {
    const written = captureStdout()
    const run = workspaceRun()
    await report(run)
    expect(commands(written, 'error')).toEqual([
      {
        props: 'title=PUBLISH_FORBIDDEN',
        message: escaped(`@acme/b@1.0.0: ${run.packages[1].error?.sentence ?? ''}`)
      },
      {
        props: 'title=VERSION_CONFLICT',
        message: escaped(`@acme/c@1.0.0: ${run.packages[2].error?.sentence ?? ''}`)
      }
    ])
  })

  it('skips a summary file that is a FIFO with a warning, and does not block on it', async () => {
    const written = captureStdout()
    const fifo = path.join(path.dirname(outputFile), 'summary-fifo')
    execFileSync('mkfifo', [fifo])
    process.env['GITHUB_STEP_SUMMARY'] = fifo
    const error = new PublishError('TOKEN_INVALID', 'revoked')
    let timer: NodeJS.Timeout | undefined
    const outcome = await Promise.race([
      report({ ...singleRun(), error, stage: 'token' }).then(() => 'done'),
      new Promise((resolve) => (timer = setTimeout(() => resolve('blocked'), 5000)))
    ])
    clearTimeout(timer)
    if (outcome === 'blocked') {
      // Free the writer stuck in open(2) before failing.
      fs.closeSync(fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK))
    }
    expect(outcome).toBe('done')
    expect(commands(written, 'warning')).toEqual([
      { props: '', message: `No job summary: ${fifo} is not a regular file.` }
    ])
    // The rest of the report still happened.
    expect(commands(written, 'error')).toHaveLength(1)
    expect(readOutputs(outputFile)['error-code']).toBe('TOKEN_INVALID')
  })

  it('appends the summary to a regular summary file', async () => {
    captureStdout()
    const file = path.join(path.dirname(outputFile), 'summary.md')
    fs.writeFileSync(file, 'earlier step\n')
    process.env['GITHUB_STEP_SUMMARY'] = file
    await report(singleRun())
    const text = fs.readFileSync(file, 'utf8')
    expect(
      text.startsWith('earlier step\n<h2>✅ Published <code>@acme/tool@1.2.0</code></h2>')
    ).toBe(true)
  })

  it('warns about an output file it cannot write, and still annotates the failure', async () => {
    const written = captureStdout()
    process.env['GITHUB_OUTPUT'] = path.dirname(outputFile)
    const error = new PublishError('PACKAGE_INVALID', 'no name')
    await expect(report({ ...emptyRun(), error, stage: 'package' })).resolves.toBeUndefined()
    expect(commands(written, 'warning')[0]?.message).toMatch(/^Could not write the outputs: /)
    expect(commands(written, 'error')).toEqual([
      { props: 'title=PACKAGE_INVALID', message: escaped(error.sentence) }
    ])
  })
})
