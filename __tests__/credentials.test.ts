/**
 * The private directory: made 0700 under RUNNER_TEMP, its path saved to the step state before
 * anything is written in it (so the post step can always find it), an .npmrc with a placeholder
 * for the token, removed on close; and the post step's backstop that removes only a real
 * directory of ours directly under RUNNER_TEMP, following no link.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PrivateDir, TOKEN_VARIABLE, authLine, npmrcText, scopeOf } from '../src/credentials.js'
import { PublishError } from '../src/errors.js'
import { DIR_PREFIX, scrub, scrubLeftovers } from '../src/scrub.js'
import { captureStdout } from './helpers/stdout.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-cred-'))
const saved = { ...process.env }
let sandbox: string
let temp: string
let state: string

beforeEach(() => {
  sandbox = fs.mkdtempSync(path.join(root, 'case-'))
  temp = path.join(sandbox, 'temp')
  fs.mkdirSync(temp)
  state = path.join(sandbox, 'state')
  fs.writeFileSync(state, '')
  process.env['RUNNER_TEMP'] = temp
  process.env['GITHUB_STATE'] = state
})

afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...saved }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

function thrown(fn: () => unknown): PublishError {
  try {
    fn()
  } catch (error) {
    if (error instanceof PublishError) return error
    throw error
  }
  throw new Error('expected a PublishError')
}

describe('authLine / npmrcText', () => {
  it.each([
    ['https://registry.npmjs.org/', '//registry.npmjs.org/:_authToken='],
    [
      'https://host.example:8443/api/npm/npm-local/',
      '//host.example:8443/api/npm/npm-local/:_authToken='
    ],
    ['https://host.example/npm', '//host.example/npm/:_authToken='],
    ['http://127.0.0.1:4873/', '//127.0.0.1:4873/:_authToken='],
    ['https://npm.pkg.github.com/', '//npm.pkg.github.com/:_authToken=']
  ])('keys %s to host, port and path, with a placeholder for the token', (registry, prefix) => {
    expect(authLine(new URL(registry))).toBe(`${prefix}\${${TOKEN_VARIABLE}}`)
  })

  it('pins every scope of the run to the registry, each once, in order', () => {
    const text = npmrcText(new URL('https://r.example/npm/'), ['@zed', '@acme', '@zed'])
    expect(text.split('\n')).toEqual([
      'registry=https://r.example/npm/',
      '@acme:registry=https://r.example/npm/',
      '@zed:registry=https://r.example/npm/',
      `//r.example/npm/:_authToken=\${${TOKEN_VARIABLE}}`,
      ''
    ])
  })

  it('reads the scope of a name', () => {
    expect(scopeOf('@acme/tool')).toBe('@acme')
    expect(scopeOf('tool')).toBeUndefined()
  })
})

describe('PrivateDir', () => {
  it('opens a 0700 directory of ours under RUNNER_TEMP with an empty global npmrc and a packs dir', () => {
    const dir = PrivateDir.open()
    try {
      expect(path.dirname(dir.dir)).toBe(temp)
      expect(path.basename(dir.dir).startsWith(DIR_PREFIX)).toBe(true)
      expect(fs.lstatSync(dir.dir).mode & 0o777).toBe(0o700)
      expect(fs.readFileSync(dir.globalconfig, 'utf8')).toBe('')
      expect(fs.statSync(dir.globalconfig).mode & 0o777).toBe(0o600)
      expect(fs.statSync(dir.packs).isDirectory()).toBe(true)
      expect(fs.statSync(dir.packs).mode & 0o777).toBe(0o700)
      // No .npmrc until configure().
      expect(fs.existsSync(dir.npmrc)).toBe(false)
      // The step state names it, for the post step.
      expect(fs.readFileSync(state, 'utf8')).toMatch(
        new RegExp(
          `^credentialsDir<<(ghadelimiter_[\\w-]+)${os.EOL}${dir.dir}${os.EOL}\\1${os.EOL}$`
        )
      )
    } finally {
      dir.close()
    }
  })

  it('saves the state before it writes anything in the directory', async () => {
    // GITHUB_STATE is a FIFO: the state write blocks until a reader opens it. The reader first
    // lists the directory, so the listing shows what existed while the state was being saved.
    const fifo = path.join(sandbox, 'state-fifo')
    execFileSync('mkfifo', [fifo])
    process.env['GITHUB_STATE'] = fifo
    const listing = path.join(sandbox, 'listing')
    const received = path.join(sandbox, 'received')
    const reader = spawn(
      'sh',
      [
        '-c',
        'sleep 0.5; for d in "$T"/npm-automation-publish-*; do echo "dir $d"; ls -A "$d"; done > "$L"; cat "$F" > "$R"'
      ],
      { env: { PATH: process.env['PATH'] ?? '', T: temp, L: listing, F: fifo, R: received } }
    )
    // If the reader never came, this process would stay blocked: a second reader frees it.
    const watchdog = spawn('sh', ['-c', 'sleep 15; cat "$F" >/dev/null'], {
      env: { PATH: process.env['PATH'] ?? '', F: fifo },
      detached: true,
      stdio: 'ignore'
    })
    const readerDone = new Promise((resolve) => reader.on('exit', resolve))
    const dir = PrivateDir.open()
    try {
      await readerDone
      expect(fs.readFileSync(listing, 'utf8')).toBe(`dir ${dir.dir}\n`)
      expect(fs.readFileSync(received, 'utf8')).toContain(`${os.EOL}${dir.dir}${os.EOL}`)
    } finally {
      dir.close()
      // The watchdog's group (its sleep too), by its pid.
      process.kill(-(watchdog.pid as number), 'SIGKILL')
    }
  })

  it('writes the .npmrc: registry, scopes, and the auth line with a placeholder, never a token', () => {
    const dir = PrivateDir.open()
    try {
      dir.configure(new URL('https://registry.npmjs.org/'), ['@acme'])
      const text = fs.readFileSync(dir.npmrc, 'utf8')
      expect(text).toBe(
        [
          'registry=https://registry.npmjs.org/',
          '@acme:registry=https://registry.npmjs.org/',
          `//registry.npmjs.org/:_authToken=\${${TOKEN_VARIABLE}}`,
          ''
        ].join('\n')
      )
      expect(fs.statSync(dir.npmrc).mode & 0o777).toBe(0o600)
      // Only the placeholder: no value after `=` but the variable reference.
      expect(text).not.toMatch(/_authToken=(?!\$\{)/)
      // Written once: a second configure does not overwrite (wx).
      expect(() => dir.configure(new URL('https://evil.example/'), [])).toThrow()
      expect(fs.readFileSync(dir.npmrc, 'utf8')).toBe(text)
    } finally {
      dir.close()
    }
  })

  it('removes the directory and everything in it on close (twice is fine)', () => {
    const dir = PrivateDir.open()
    dir.configure(new URL('https://registry.npmjs.org/'), [])
    fs.writeFileSync(path.join(dir.packs, 'pkg-1.0.0.tgz'), 'tarball')
    fs.mkdirSync(path.join(dir.dir, 'logs'))
    fs.writeFileSync(path.join(dir.dir, 'logs', 'debug-0.log'), 'log')
    dir.close()
    expect(fs.existsSync(dir.dir)).toBe(false)
    expect(fs.readdirSync(temp)).toEqual([])
    expect(() => dir.close()).not.toThrow()
  })

  it('refuses a RUNNER_TEMP that does not exist or is a file', () => {
    process.env['RUNNER_TEMP'] = path.join(sandbox, 'missing')
    expect(thrown(() => PrivateDir.open())).toMatchObject({
      code: 'RUNNER_INVALID',
      message: expect.stringContaining('does not exist')
    })
    const file = path.join(sandbox, 'a-file')
    fs.writeFileSync(file, '')
    process.env['RUNNER_TEMP'] = file
    expect(thrown(() => PrivateDir.open())).toMatchObject({
      code: 'RUNNER_INVALID',
      message: expect.stringContaining('is not a directory')
    })
    expect(fs.readdirSync(sandbox).sort()).toEqual(['a-file', 'state', 'temp'])
  })

  it('refuses a GITHUB_STATE it cannot write (a directory) and leaves nothing behind', () => {
    captureStdout()
    const stateDir = path.join(sandbox, 'state-dir')
    fs.mkdirSync(stateDir)
    process.env['GITHUB_STATE'] = stateDir
    const error = thrown(() => PrivateDir.open())
    expect(error.code).toBe('RUNNER_INVALID')
    expect(error.message).toContain(`GITHUB_STATE=${stateDir}`)
    expect(fs.readdirSync(temp)).toEqual([])
    expect(fs.readdirSync(stateDir)).toEqual([])
  })
})

describe('scrub / scrubLeftovers', () => {
  it('removes a real leftover of ours, its .npmrc overwritten first', () => {
    const ours = fs.mkdtempSync(path.join(temp, DIR_PREFIX))
    fs.writeFileSync(path.join(ours, '.npmrc'), 'registry=https://r.example/\n')
    fs.mkdirSync(path.join(ours, 'packs'))
    fs.writeFileSync(path.join(ours, 'packs', 'x.tgz'), 'x')
    // Another name for the .npmrc's bytes: they are zeroed before the directory goes.
    const other = path.join(sandbox, 'hardlink')
    fs.linkSync(path.join(ours, '.npmrc'), other)
    expect(scrubLeftovers(ours)).toBe('removed')
    expect(fs.existsSync(ours)).toBe(false)
    expect(fs.readFileSync(other)).toEqual(Buffer.alloc('registry=https://r.example/\n'.length))
    expect(scrubLeftovers(ours)).toBe('clean')
    expect(scrubLeftovers('')).toBe('none')
  })

  it('refuses a path outside RUNNER_TEMP, or not directly under it, and touches nothing', () => {
    const elsewhere = fs.mkdtempSync(path.join(sandbox, DIR_PREFIX))
    const nested = path.join(temp, 'sub', `${DIR_PREFIX}x`)
    fs.mkdirSync(nested, { recursive: true })
    const notOurs = path.join(temp, 'someone-else')
    fs.mkdirSync(notOurs)
    for (const saved of [
      elsewhere,
      nested,
      notOurs,
      temp,
      sandbox,
      path.join(temp, `${DIR_PREFIX}x`, '..', '..'),
      path.join(temp, '..', path.basename(elsewhere))
    ]) {
      expect([saved, scrubLeftovers(saved)]).toEqual([saved, 'refused'])
    }
    for (const dir of [elsewhere, nested, notOurs]) expect(fs.existsSync(dir)).toBe(true)
  })

  it('refuses a symlink named like ours and leaves its target (and the target’s .npmrc) alone', () => {
    const target = path.join(sandbox, 'precious')
    fs.mkdirSync(target)
    fs.writeFileSync(path.join(target, '.npmrc'), 'keep me\n')
    const link = path.join(temp, `${DIR_PREFIX}link`)
    fs.symlinkSync(target, link)
    expect(scrubLeftovers(link)).toBe('refused')
    expect(fs.readFileSync(path.join(target, '.npmrc'), 'utf8')).toBe('keep me\n')
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
    // scrub() itself refuses it too.
    expect(() => scrub(link)).toThrow('is not a directory')
    expect(fs.readFileSync(path.join(target, '.npmrc'), 'utf8')).toBe('keep me\n')
  })

  it('does not overwrite through an .npmrc that is a symlink out of our directory', () => {
    const outside = path.join(sandbox, 'home-npmrc')
    fs.writeFileSync(outside, '//registry.npmjs.org/:_authToken=someone-elses\n')
    const ours = fs.mkdtempSync(path.join(temp, DIR_PREFIX))
    fs.symlinkSync(outside, path.join(ours, '.npmrc'))
    expect(scrubLeftovers(ours)).toBe('removed')
    expect(fs.existsSync(ours)).toBe(false)
    expect(fs.readFileSync(outside, 'utf8')).toBe(
      '//registry.npmjs.org/:_authToken=someone-elses\n'
    )
  })

  it('refuses a file where the directory should be', () => {
    const file = path.join(temp, `${DIR_PREFIX}file`)
    fs.writeFileSync(file, 'x')
    expect(scrubLeftovers(file)).toBe('refused')
    expect(() => scrub(file)).toThrow('is not a directory')
    expect(fs.readFileSync(file, 'utf8')).toBe('x')
  })
})
