import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ERROR_CODES, PublishError } from '../src/errors.js'
import {
  getOptions,
  isLoopbackHost,
  parseRegistry,
  parseTag,
  readToken,
  type InputReader
} from '../src/inputs.js'
import { codeOf } from './helpers/code-of.js'
import { captureStdout } from './helpers/stdout.js'

/** A fresh token each time: the masker registers a secret once per process. */
const newToken = (): string => `npm_${crypto.randomBytes(18).toString('base64url')}`
const TOKEN = newToken()

let workspace: string
let stdout: string[]
const saved = { workspace: process.env['GITHUB_WORKSPACE'], temp: process.env['RUNNER_TEMP'] }

beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-inputs-'))
  fs.writeFileSync(path.join(workspace, 'package.json'), '{"name":"x","version":"1.0.0"}')
  fs.writeFileSync(path.join(workspace, 'x-1.0.0.tgz'), '')
  process.env['GITHUB_WORKSPACE'] = workspace
  delete process.env['RUNNER_TEMP']
  stdout = captureStdout()
})

afterEach(() => {
  jest.restoreAllMocks()
  const restore = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  restore('GITHUB_WORKSPACE', saved.workspace)
  restore('RUNNER_TEMP', saved.temp)
  fs.rmSync(workspace, { recursive: true, force: true })
})

const reader =
  (inputs: Record<string, string>): InputReader =>
  (name) =>
    inputs[name] ?? ''

/** The error getOptions throws (fails the test when it does not throw). */
function failure(inputs: Record<string, string>): PublishError {
  try {
    getOptions(reader(inputs))
  } catch (error) {
    expect(error).toBeInstanceOf(PublishError)
    return error as PublishError
  }
  throw new Error(`getOptions accepted ${JSON.stringify(inputs)}`)
}

const lines = (): string[] => stdout.join('').split(os.EOL).filter(Boolean)

describe('getOptions defaults', () => {
  it('reads every unset input as its default: no registry, provenance not set, 14 days, no workspaces', () => {
    const options = getOptions(reader({ token: `  ${TOKEN}\n` }))
    expect(options).toEqual({
      auth: 'token',
      token: TOKEN,
      stage: false,
      registry: undefined,
      packagePath: workspace,
      packageKind: 'directory',
      workspaces: false,
      tag: undefined,
      access: undefined,
      provenance: undefined,
      dryRun: false,
      strategy: 'all',
      ignoreScripts: false,
      tokenCheck: 'strict',
      egressIp: undefined,
      validateOnly: false,
      expiryWarningDays: 14
    })
  })

  it('parses booleans, enums, days and the egress address', () => {
    const options = getOptions(
      reader({
        token: TOKEN,
        provenance: 'FALSE',
        'dry-run': 'true',
        strategy: 'Upgrade',
        access: 'public',
        tag: 'next',
        'egress-ip': '::ffff:10.1.2.3',
        'token-check': 'warn',
        'validate-only': 'true',
        'ignore-scripts': 'true',
        workspaces: 'true',
        stage: 'true',
        'expiry-warning-days': '30'
      })
    )
    expect(options).toMatchObject({
      provenance: false,
      dryRun: true,
      strategy: 'upgrade',
      access: 'public',
      tag: 'next',
      egressIp: '10.1.2.3',
      tokenCheck: 'warn',
      validateOnly: true,
      ignoreScripts: true,
      workspaces: true,
      stage: true,
      expiryWarningDays: 30
    })
  })

  it('takes an empty token under auth: oidc, and refuses one under token and auto', () => {
    expect(getOptions(reader({ auth: 'oidc' })).token).toBe('')
    expect(codeOf(() => getOptions(reader({ auth: 'auto' })))).toBe('TOKEN_MALFORMED')
    expect(codeOf(() => getOptions(reader({})))).toBe('TOKEN_MALFORMED')
  })

  it.each([['-1'], ['1.5'], ['two'], ['99999']])('refuses expiry-warning-days %s', (value) => {
    expect(codeOf(() => getOptions(reader({ token: TOKEN, 'expiry-warning-days': value })))).toBe(
      'INPUT_INVALID'
    )
  })
})

describe('masking', () => {
  it('masks the token before any other input is read or anything else is printed', () => {
    const token = newToken()
    // A reader that prints as it reads: nothing may reach stdout before the token is masked.
    const noisy: InputReader = (name) => {
      if (name !== 'token') process.stdout.write(`::debug::read ${name}${os.EOL}`)
      return { token, registry: 'https://r.example/npm' }[name] ?? ''
    }
    getOptions(noisy)
    const logged = lines()
    expect(logged[0]).toBe(`::add-mask::${token}`)
    const lastMask = logged.map((line) => line.startsWith('::add-mask::')).lastIndexOf(true)
    const firstOther = logged.findIndex((line) => !line.startsWith('::add-mask::'))
    expect(firstOther).toBeGreaterThan(lastMask)
    expect(logged).toContain(`::add-mask::${Buffer.from(token).toString('base64')}`)
    expect(logged).toContain(`::add-mask::${Buffer.from(`:${token}`).toString('base64')}`)
  })

  it('masks even a token it then rejects, whole and line by line', () => {
    const first = `first-${crypto.randomBytes(6).toString('hex')}`
    const second = `second-${crypto.randomBytes(6).toString('hex')}`
    expect(codeOf(() => getOptions(reader({ token: `${first}\r\n${second}` })))).toBe(
      'TOKEN_MALFORMED'
    )
    const logged = lines()
    expect(logged[0]).toBe(`::add-mask::${first}%0D%0A${second}`)
    expect(logged).toContain(`::add-mask::${first}`)
    expect(logged).toContain(`::add-mask::${second}`)
  })

  it('masks a token with a character it refuses (an emoji) before refusing it', () => {
    const token = `${newToken()}😀`
    expect(codeOf(() => getOptions(reader({ token })))).toBe('TOKEN_MALFORMED')
    expect(lines()[0]).toBe(`::add-mask::${token}`)
  })
})

describe('token rules', () => {
  const body = crypto.randomBytes(12).toString('hex')
  it.each([
    ['empty', ''],
    ['only blanks', ' \n\t '],
    ['an inner space', `npm_${body} tail`],
    ['an inner tab', `npm_${body}\ttail`],
    ['a line feed', `npm_${body}\ntail`],
    ['a carriage return', `npm_${body}\rtail`],
    ['a euro sign', `npm_${body}€`],
    ['an emoji', `npm_${body}🔑`],
    ['a control character (BEL)', `npm_${body}\u0007x`],
    ['a DEL', `npm_${body}\u007f`],
    ['a NUL', `npm_${body}\u0000`],
    ['a no-break space', `npm_${body}\u00a0x`],
    ['Latin-1 é', `npm_${body}é`]
  ])('refuses a token with %s as TOKEN_MALFORMED, never quoting it', (_what, token) => {
    const error = failure({ token })
    expect(error.code).toBe('TOKEN_MALFORMED')
    expect(error.report).not.toContain(body)
    expect(token.trim() !== '' && error.report.includes(token.trim())).toBe(false)
  })

  it('trims the token and accepts every printable ASCII character', () => {
    const printable = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join('')
    expect(readToken(`\n ${printable} \r\n`)).toBe(printable)
  })

  it('says what is wrong without the token: whitespace, non-ASCII, empty', () => {
    expect(failure({ token: `npm_${body} x` }).message).toMatch(/whitespace/)
    expect(failure({ token: `npm_${body}€` }).message).toMatch(/printable ASCII/)
    expect(failure({ token: '' }).hint).toMatch(/secrets\.NPM_TOKEN/)
  })
})

describe('several problems', () => {
  it('reports every bad input in one PublishError, numbered, under the first code', () => {
    const token = `npm_${randomHex()} x`
    const error = failure({
      token,
      registry: 'http://registry.example/',
      tag: '^2',
      strategy: 'sometimes',
      'dry-run': 'yes',
      package: 'missing-dir'
    })
    expect(error.code).toBe('TOKEN_MALFORMED')
    expect(error.message).toMatch(/^6 problems: \(1\) /)
    for (let i = 1; i <= 6; i++) expect(error.message).toContain(`(${i}) `)
    expect(error.message).not.toContain('(7)')
    expect(error.message).toMatch(/plain http/)
    expect(error.message).toMatch(/"\^2"/)
    expect(error.message).toMatch(/sometimes/)
    expect(error.message).toMatch(/missing-dir/)
    expect(error.report).not.toContain(token.split(' ')[0])
    // strategy and dry-run share the default INPUT_INVALID hint: said once.
    expect(error.hint.split(ERROR_CODES.INPUT_INVALID)).toHaveLength(2)
    expect(error.hint).toContain(ERROR_CODES.TOKEN_MALFORMED)
  })

  it('reports a single bad input as itself, not as "1 problems"', () => {
    const error = failure({ token: TOKEN, access: 'private' })
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toBe('`access` must be one of public, restricted; got "private"')
  })
})

function randomHex(): string {
  return crypto.randomBytes(10).toString('hex')
}

describe('registry URL', () => {
  it('keeps the path and adds the trailing slash', () => {
    expect(parseRegistry('https://host.example:8443/api/npm/npm-local').href).toBe(
      'https://host.example:8443/api/npm/npm-local/'
    )
    expect(parseRegistry('https://npm.pkg.github.com').href).toBe('https://npm.pkg.github.com/')
    expect(
      getOptions(reader({ token: TOKEN, registry: ' https://r.example/a/b/ ' })).registry?.href
    ).toBe('https://r.example/a/b/')
  })

  it.each([
    ['https://user:pass@registry.example/', 'REGISTRY_INSECURE'],
    ['https://user@registry.example/', 'REGISTRY_INSECURE'],
    ['https://:pass@registry.example/', 'REGISTRY_INSECURE'],
    ['https://registry.example/?x=1', 'REGISTRY_INSECURE'],
    ['https://registry.example/?', 'REGISTRY_INSECURE'],
    ['https://registry.example/#frag', 'INPUT_INVALID'],
    ['https://registry.example/#', 'INPUT_INVALID'],
    ['https://registry.example/npm#', 'INPUT_INVALID'],
    ['http://registry.example/', 'REGISTRY_INSECURE'],
    ['http://10.0.0.1:4873/', 'REGISTRY_INSECURE'],
    ['http://0.0.0.0:4873/', 'REGISTRY_INSECURE'],
    ['http://[::2]/', 'REGISTRY_INSECURE'],
    ['http://localhost.evil.example/', 'REGISTRY_INSECURE'],
    ['http://127.0.0.1.nip.io/', 'REGISTRY_INSECURE'],
    ['ftp://registry.example/', 'INPUT_INVALID'],
    ['file:///etc/passwd', 'INPUT_INVALID'],
    ['registry.example', 'INPUT_INVALID'],
    ['not a url', 'INPUT_INVALID']
  ])('refuses %s with %s', (url, code) => {
    expect(codeOf(() => parseRegistry(url))).toBe(code)
    expect(codeOf(() => getOptions(reader({ token: TOKEN, registry: url })))).toBe(code)
  })

  it.each([
    'http://localhost:4873/',
    'http://LOCALHOST:4873/',
    'http://127.0.0.1/',
    'http://127.0.0.5/',
    'http://127.1/',
    'http://[::1]:9/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]/'
  ])('allows plain http to the loopback host %s', (url) => {
    expect(parseRegistry(url).protocol).toBe('http:')
  })

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('localhost')).toBe(true)
    expect(isLoopbackHost('127.1.2.3')).toBe(true)
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('::1')).toBe(true)
    expect(isLoopbackHost('10.0.0.1')).toBe(false)
    expect(isLoopbackHost('localhost.evil.example')).toBe(false)
    expect(isLoopbackHost('evil-localhost')).toBe(false)
  })

  it('names where a bad URL came from', () => {
    let message = ''
    try {
      parseRegistry('http://r.example/', 'publishConfig.registry of p/package.json')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/^publishConfig\.registry of p\/package\.json uses plain http/)
  })
})

describe('tags', () => {
  it.each(['fresh&clean', 'a/b', '1.x', '^2', '1.2.3', 'v2', '>=1', 'has space', 'caf%C3%A9', 'é'])(
    'refuses the tag %s',
    (tag) => {
      expect(codeOf(() => parseTag(tag))).toBe('INPUT_INVALID')
      expect(codeOf(() => getOptions(reader({ token: TOKEN, tag })))).toBe('INPUT_INVALID')
    }
  )

  it.each(['next', 'v2-latest', 'latest', 'beta_1', 'release.candidate', 'legacy'])(
    'accepts the tag %s',
    (tag) => {
      expect(getOptions(reader({ token: TOKEN, tag })).tag).toBe(tag)
    }
  )
})

describe('package', () => {
  it('takes a directory, a package.json path and a .tgz, relative to the workspace', () => {
    fs.mkdirSync(path.join(workspace, 'sub'))
    expect(getOptions(reader({ token: TOKEN, package: 'sub' }))).toMatchObject({
      packagePath: path.join(workspace, 'sub'),
      packageKind: 'directory'
    })
    expect(getOptions(reader({ token: TOKEN, package: 'package.json' }))).toMatchObject({
      packagePath: workspace,
      packageKind: 'directory'
    })
    expect(getOptions(reader({ token: TOKEN, package: 'x-1.0.0.tgz' }))).toMatchObject({
      packagePath: path.join(workspace, 'x-1.0.0.tgz'),
      packageKind: 'tarball'
    })
    fs.writeFileSync(path.join(workspace, 'y.tar.gz'), '')
    expect(getOptions(reader({ token: TOKEN, package: 'y.tar.gz' })).packageKind).toBe('tarball')
  })

  it('refuses what does not exist and what is neither a directory, a package.json nor a .tgz', () => {
    fs.writeFileSync(path.join(workspace, 'README.md'), '')
    expect(codeOf(() => getOptions(reader({ token: TOKEN, package: 'missing-dir' })))).toBe(
      'INPUT_INVALID'
    )
    expect(codeOf(() => getOptions(reader({ token: TOKEN, package: 'README.md' })))).toBe(
      'INPUT_INVALID'
    )
  })

  it('refuses a FIFO named x.tgz (it would hang the reader) without waiting on it', () => {
    const fifo = path.join(workspace, 'fifo.tgz')
    execFileSync('mkfifo', [fifo])
    const started = Date.now()
    const error = failure({ token: TOKEN, package: 'fifo.tgz' })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toMatch(/not a regular file/)
  })

  it('refuses a package directory that is the runner temp dir', () => {
    process.env['RUNNER_TEMP'] = workspace
    const error = failure({ token: TOKEN })
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toMatch(/runner's temp directory/)
  })

  it.each([['tmp'], ['a/b/runner-temp'], ['..cache']])(
    'refuses a package directory that contains the runner temp dir (%s inside it)',
    (inside) => {
      const temp = path.join(workspace, inside)
      fs.mkdirSync(temp, { recursive: true })
      process.env['RUNNER_TEMP'] = temp
      expect(failure({ token: TOKEN }).message).toMatch(/runner's temp directory/)
      expect(failure({ token: TOKEN, package: 'package.json' }).code).toBe('INPUT_INVALID')
    }
  )

  it('refuses a parent of the temp dir reached through "..", and accepts a sibling', () => {
    const temp = path.join(workspace, 'temp')
    const sibling = path.join(workspace, 'pkg')
    fs.mkdirSync(temp)
    fs.mkdirSync(sibling)
    process.env['RUNNER_TEMP'] = temp
    expect(codeOf(() => getOptions(reader({ token: TOKEN, package: 'pkg/..' })))).toBe(
      'INPUT_INVALID'
    )
    expect(getOptions(reader({ token: TOKEN, package: 'pkg' })).packagePath).toBe(sibling)
    // A directory whose name merely starts with the temp dir's is not inside it.
    process.env['RUNNER_TEMP'] = path.join(workspace, 'pk')
    expect(getOptions(reader({ token: TOKEN, package: 'pkg' })).packagePath).toBe(sibling)
  })

  it('refuses `workspaces: true` with a .tgz', () => {
    const error = failure({ token: TOKEN, package: 'x-1.0.0.tgz', workspaces: 'true' })
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toMatch(/workspace root directory/)
    expect(getOptions(reader({ token: TOKEN, workspaces: 'true' })).workspaces).toBe(true)
  })
})
