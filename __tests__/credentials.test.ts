import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { TOKEN_VARIABLE, authLine, npmrcText, withNpmrc } from '../src/credentials.js'
import { scrubLeftovers } from '../src/scrub.js'

const TOKEN = 'npm_abcdefghijklmnopqrstuvwxyz0123456789'
let sandbox: string

beforeEach(() => {
  sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-cred-'))
  process.env['RUNNER_TEMP'] = path.join(sandbox, 'temp')
  fs.mkdirSync(process.env['RUNNER_TEMP'])
  process.env['GITHUB_STATE'] = path.join(sandbox, 'state')
  fs.writeFileSync(process.env['GITHUB_STATE'], '')
})

afterEach(() => {
  delete process.env['RUNNER_TEMP']
  delete process.env['GITHUB_STATE']
  fs.rmSync(sandbox, { recursive: true, force: true })
})

describe('authLine', () => {
  it.each([
    ['https://registry.npmjs.org/', '//registry.npmjs.org/:_authToken='],
    [
      'https://host.example:8443/api/npm/npm-local/',
      '//host.example:8443/api/npm/npm-local/:_authToken='
    ],
    ['http://127.0.0.1:4873/', '//127.0.0.1:4873/:_authToken='],
    ['https://npm.pkg.github.com/', '//npm.pkg.github.com/:_authToken=']
  ])('keys %s to host, port and path', (registry, prefix) => {
    expect(authLine(new URL(registry))).toBe(`${prefix}\${${TOKEN_VARIABLE}}`)
  })

  it('pins a scoped package to the registry too', () => {
    const text = npmrcText(new URL('https://r.example/npm/'), '@acme/tool', true)
    expect(text.split('\n')).toEqual([
      'registry=https://r.example/npm/',
      '@acme:registry=https://r.example/npm/',
      `//r.example/npm/:_authToken=\${${TOKEN_VARIABLE}}`,
      ''
    ])
  })
})

describe('withNpmrc', () => {
  it('makes a private dir and file under RUNNER_TEMP, token only in env, removed afterwards', async () => {
    let seen: { dir: string; npmrc: string } | undefined
    const stateAtTask = await withNpmrc(
      new URL('https://r.example/'),
      'pkg',
      TOKEN,
      (credentials) => {
        seen = credentials
        expect(path.dirname(credentials.dir)).toBe(process.env['RUNNER_TEMP'])
        expect(fs.statSync(credentials.dir).mode & 0o777).toBe(0o700)
        expect(fs.statSync(credentials.npmrc).mode & 0o777).toBe(0o600)
        expect(fs.readFileSync(credentials.npmrc, 'utf8')).not.toContain(TOKEN)
        expect(credentials.env).toEqual({ [TOKEN_VARIABLE]: TOKEN })
        return Promise.resolve(fs.readFileSync(process.env['GITHUB_STATE'] as string, 'utf8'))
      }
    )
    expect(stateAtTask).toContain(`credentialsDir<<`)
    expect(stateAtTask).toContain(seen?.dir)
    expect(fs.existsSync(seen?.dir as string)).toBe(false)
  })

  it('removes everything when the task throws', async () => {
    let dir = ''
    await expect(
      withNpmrc(new URL('https://r.example/'), 'pkg', TOKEN, (credentials) => {
        dir = credentials.dir
        fs.writeFileSync(path.join(dir, 'npm-debug.log'), 'log')
        return Promise.reject(new Error('boom'))
      })
    ).rejects.toThrow('boom')
    expect(fs.existsSync(dir)).toBe(false)
  })

  it('writes no auth line when there is no token (dry run, pack)', async () => {
    await withNpmrc(new URL('https://r.example/'), 'pkg', undefined, (credentials) => {
      expect(fs.readFileSync(credentials.npmrc, 'utf8')).toBe('registry=https://r.example/\n')
      expect(credentials.env).toEqual({})
      return Promise.resolve()
    })
  })
})

describe('scrubLeftovers', () => {
  it('removes a leftover dir of ours and refuses anything else', () => {
    const temp = process.env['RUNNER_TEMP'] as string
    const ours = fs.mkdtempSync(path.join(temp, 'npm-automation-publish-'))
    fs.writeFileSync(path.join(ours, '.npmrc'), 'x')
    expect(scrubLeftovers(ours)).toBe('removed')
    expect(fs.existsSync(ours)).toBe(false)
    expect(scrubLeftovers(ours)).toBe('clean')
    expect(scrubLeftovers('')).toBe('none')
    expect(scrubLeftovers(sandbox)).toBe('refused')
    expect(scrubLeftovers(path.join(temp, 'npm-automation-publish-x', '..', '..'))).toBe('refused')
    expect(fs.existsSync(sandbox)).toBe(true)
  })
})
