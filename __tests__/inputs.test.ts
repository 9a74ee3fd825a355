import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { getOptions, isLoopbackHost, parseRegistry, readToken } from '../src/inputs.js'
import { codeOf } from './helpers/code-of.js'
import { captureStdout } from './helpers/stdout.js'

const TOKEN = 'npm_abcdefghijklmnopqrstuvwxyz0123456789'
let workspace: string
let stdout: string[]

beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-inputs-'))
  fs.writeFileSync(path.join(workspace, 'package.json'), '{"name":"x","version":"1.0.0"}')
  fs.writeFileSync(path.join(workspace, 'x-1.0.0.tgz'), '')
  process.env['GITHUB_WORKSPACE'] = workspace
  stdout = captureStdout()
})

afterEach(() => {
  jest.restoreAllMocks()
  delete process.env['GITHUB_WORKSPACE']
  fs.rmSync(workspace, { recursive: true, force: true })
})

const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? ''

describe('getOptions', () => {
  it('reads every input with its default', () => {
    const options = getOptions(reader({ token: `  ${TOKEN}\n` }))
    expect(options).toMatchObject({
      token: TOKEN,
      packagePath: workspace,
      packageKind: 'directory',
      tag: undefined,
      access: undefined,
      provenance: false,
      dryRun: false,
      strategy: 'all',
      ignoreScripts: false,
      tokenCheck: 'strict',
      validateOnly: false
    })
    expect(options.registry.href).toBe('https://registry.npmjs.org/')
  })

  it('masks the token before anything else is printed', () => {
    getOptions(reader({ token: TOKEN, registry: 'https://r.example/npm' }))
    const lines = stdout.join('').split(os.EOL)
    expect(lines[0]).toBe(`::add-mask::${TOKEN}`)
    expect(lines).toContain(`::add-mask::${Buffer.from(TOKEN).toString('base64')}`)
  })

  it('masks even a token it then rejects, line by line', () => {
    expect(codeOf(() => getOptions(reader({ token: 'abc123secret\nsecond-half' })))).toBe(
      'TOKEN_MALFORMED'
    )
    const lines = stdout.join('').split(os.EOL)
    expect(lines).toContain('::add-mask::abc123secret')
    expect(lines).toContain('::add-mask::second-half')
  })

  it.each([
    [{ token: '' }, 'TOKEN_MALFORMED'],
    [{ token: '   ' }, 'TOKEN_MALFORMED'],
    [{ token: 'abc def' }, 'TOKEN_MALFORMED'],
    [{ token: 'abc\u0007def' }, 'TOKEN_MALFORMED'],
    [{ token: TOKEN, registry: 'https://user:pass@registry.example/' }, 'REGISTRY_INSECURE'],
    [{ token: TOKEN, registry: 'http://example.com/' }, 'REGISTRY_INSECURE'],
    [{ token: TOKEN, registry: 'https://registry.example/?x=1' }, 'REGISTRY_INSECURE'],
    [{ token: TOKEN, registry: 'https://registry.example/#frag' }, 'INPUT_INVALID'],
    [{ token: TOKEN, registry: 'ftp://registry.example/' }, 'INPUT_INVALID'],
    [{ token: TOKEN, registry: 'not a url' }, 'INPUT_INVALID'],
    [{ token: TOKEN, strategy: 'sometimes' }, 'INPUT_INVALID'],
    [{ token: TOKEN, access: 'private' }, 'INPUT_INVALID'],
    [{ token: TOKEN, 'dry-run': 'yes' }, 'INPUT_INVALID'],
    [{ token: TOKEN, 'token-check': 'lenient' }, 'INPUT_INVALID'],
    [{ token: TOKEN, 'egress-ip': '300.1.1.1' }, 'INPUT_INVALID'],
    [{ token: TOKEN, tag: '1.2.3' }, 'INPUT_INVALID'],
    [{ token: TOKEN, tag: 'v2' }, 'INPUT_INVALID'],
    [{ token: TOKEN, tag: 'has space' }, 'INPUT_INVALID'],
    [{ token: TOKEN, package: 'missing-dir' }, 'INPUT_INVALID'],
    [{ token: TOKEN, package: 'package.json/..' }, undefined]
  ])('%j → %s', (inputs, code) => {
    expect(codeOf(() => getOptions(reader(inputs)))).toBe(code)
  })

  it('never puts the token in an error message', () => {
    let message = ''
    try {
      readToken('secret-part other-part')
    } catch (error) {
      message = String(error)
    }
    expect(message).toContain('whitespace')
    expect(message).not.toContain('secret-part')
  })

  it('accepts a package.json path and a .tgz', () => {
    expect(getOptions(reader({ token: TOKEN, package: 'package.json' }))).toMatchObject({
      packagePath: workspace,
      packageKind: 'directory'
    })
    expect(getOptions(reader({ token: TOKEN, package: 'x-1.0.0.tgz' }))).toMatchObject({
      packagePath: path.join(workspace, 'x-1.0.0.tgz'),
      packageKind: 'tarball'
    })
  })

  it('parses booleans, enums and the egress address', () => {
    const options = getOptions(
      reader({
        token: TOKEN,
        provenance: 'TRUE',
        'dry-run': 'true',
        strategy: 'Upgrade',
        access: 'public',
        tag: 'next',
        'egress-ip': '::ffff:10.1.2.3',
        'token-check': 'warn',
        'validate-only': 'true',
        'ignore-scripts': 'true'
      })
    )
    expect(options).toMatchObject({
      provenance: true,
      dryRun: true,
      strategy: 'upgrade',
      access: 'public',
      tag: 'next',
      egressIp: '10.1.2.3',
      tokenCheck: 'warn',
      validateOnly: true,
      ignoreScripts: true
    })
  })
})

describe('parseRegistry', () => {
  it('keeps the path and adds the trailing slash', () => {
    expect(parseRegistry('https://host.example:8443/api/npm/npm-local').href).toBe(
      'https://host.example:8443/api/npm/npm-local/'
    )
  })

  it.each(['http://localhost:4873/', 'http://127.0.0.5/', 'http://[::1]:9/'])(
    'allows plain http to loopback %s',
    (url) => {
      expect(parseRegistry(url).protocol).toBe('http:')
    }
  )

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.1.2.3')).toBe(true)
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('10.0.0.1')).toBe(false)
    expect(isLoopbackHost('localhost.evil.example')).toBe(false)
  })
})
