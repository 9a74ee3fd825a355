import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { PublishError } from '../src/errors.js'
import {
  MANIFEST_MAX_BYTES,
  githubRepository,
  readDirectoryManifest,
  readRegularFile,
  validateManifest
} from '../src/manifest.js'
import { codeOf } from './helpers/code-of.js'

let dir: string
let count = 0

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-manifest-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** A fresh directory for one case. */
function packageDir(): string {
  const pkg = path.join(dir, `pkg-${++count}`)
  fs.mkdirSync(pkg)
  return pkg
}

function thrown(fn: () => unknown): PublishError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(PublishError)
    return error as PublishError
  }
  throw new Error('did not throw')
}

const ok = { name: 'ok', version: '1.0.0' }
const validate = (json: unknown): ReturnType<typeof validateManifest> =>
  validateManifest(json, 'p/package.json')

describe('validateManifest: name', () => {
  it('accepts a valid name with no new-package problems', () => {
    expect(validate({ name: '@scope/ok', version: '1.0.0' }).newNameProblems).toEqual([])
  })

  it.each([
    ['JSONStream', /capital letters/],
    ['http', /core module/],
    ['a'.repeat(215), /214 characters/]
  ])('accepts %s as an old package name, keeping the new-package rule it breaks', (name, rule) => {
    const manifest = validate({ name, version: '1.0.0' })
    expect(manifest.name).toBe(name)
    expect(manifest.newNameProblems).not.toHaveLength(0)
    expect(manifest.newNameProblems.join(' ')).toMatch(rule)
  })

  it.each([['.x'], ['a b'], ['node_modules'], ['_x'], ['favicon.ico'], ['Bad Name'], ['']])(
    'refuses the name %j',
    (name) => {
      const error = thrown(() => validate({ name, version: '1.0.0' }))
      expect(error.code).toBe('PACKAGE_INVALID')
      expect(error.message).toContain('p/package.json')
    }
  )

  it('refuses a missing or non-string name, and a non-object manifest', () => {
    expect(codeOf(() => validate({ version: '1.0.0' }))).toBe('PACKAGE_INVALID')
    expect(codeOf(() => validate({ name: 7, version: '1.0.0' }))).toBe('PACKAGE_INVALID')
    expect(codeOf(() => validate(null))).toBe('PACKAGE_INVALID')
    expect(codeOf(() => validate(['ok', '1.0.0']))).toBe('PACKAGE_INVALID')
  })
})

describe('validateManifest: version', () => {
  it.each([['one'], ['1.0'], [''], [1], [undefined]])('refuses the version %j', (version) => {
    expect(codeOf(() => validate({ name: 'ok', version }))).toBe('PACKAGE_INVALID')
  })

  it('cleans a "v" prefix as npm does', () => {
    expect(validate({ name: 'ok', version: 'v1.2.3' }).version).toBe('1.2.3')
    expect(validate({ name: 'ok', version: '2.0.0-rc.1+build.5' }).version).toBe('2.0.0-rc.1')
  })
})

describe('validateManifest: publishConfig', () => {
  it.each([
    ['proxy', 'http://127.0.0.1:9/'],
    ['https-proxy', 'http://127.0.0.1:9/'],
    ['http-proxy', 'http://127.0.0.1:9/'],
    ['noproxy', '*'],
    ['strict-ssl', false],
    ['Strict-SSL', false],
    ['ca', '-----BEGIN CERTIFICATE-----'],
    ['cafile', '/tmp/ca.pem'],
    ['cert', 'x'],
    ['key', 'x'],
    ['scope', '@evil'],
    ['dry-run', true],
    ['force', true],
    ['//elsewhere.example/:_authToken', 'x'],
    ['//registry.npmjs.org/:_auth', 'x'],
    ['_auth', 'dXNlcjpwYXNz'],
    ['_authToken', 'x'],
    ['_password', 'x'],
    ['username', 'x'],
    ['otp', '123456'],
    ['userconfig', '/tmp/npmrc'],
    ['globalconfig', '/tmp/npmrc'],
    ['prefix', '/tmp'],
    ['cache', '/tmp/cache'],
    ['replace-registry-host', 'never'],
    ['local-address', '10.0.0.1'],
    ['ignore-scripts', false],
    ['workspaces', true],
    ['include-staged', true]
  ])(
    'refuses publishConfig["%s"], which would change where or how the upload goes',
    (key, value) => {
      const error = thrown(() => validate({ ...ok, publishConfig: { [key]: value } }))
      expect(error.code).toBe('PACKAGE_INVALID')
      expect(error.message).toContain(`"${key}"`)
    }
  )

  it('names every unsafe key in one problem', () => {
    const error = thrown(() =>
      validate({ ...ok, publishConfig: { proxy: 'x', ca: 'y', main: 'index.js' } })
    )
    expect(error.message).toContain('"proxy", "ca"')
    expect(error.message).not.toContain('"main"')
    expect(error.message).not.toMatch(/problems/)
  })

  it('refuses a top-level "tag" field (npm would publish under it)', () => {
    const error = thrown(() => validate({ ...ok, tag: 'evil' }))
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toMatch(/top-level "tag"/)
  })

  it('reads access, tag, registry and provenance', () => {
    const manifest = validate({
      ...ok,
      publishConfig: {
        access: 'public',
        tag: 'next',
        registry: 'https://r.example/npm/',
        provenance: true,
        main: 'dist/index.js',
        exports: {}
      }
    })
    expect(manifest.publishConfig).toEqual({
      access: 'public',
      tag: 'next',
      registry: 'https://r.example/npm/',
      provenance: true,
      scopeRegistries: {}
    })
  })

  it.each([
    [true, true],
    ['true', true],
    [false, false],
    ['false', false]
  ])('reads publishConfig.provenance %j as %j', (value, expected) => {
    expect(validate({ ...ok, publishConfig: { provenance: value } }).publishConfig.provenance).toBe(
      expected
    )
  })

  it.each([
    [{ provenance: 'yes' }, /publishConfig\.provenance/],
    [{ provenance: 1 }, /publishConfig\.provenance/],
    [{ access: 'private' }, /publishConfig\.access/],
    [{ tag: 7 }, /publishConfig\.tag/],
    [{ tag: '1.x' }, /version range/],
    [{ tag: 'a/b' }, /URI-encoded/],
    [{ registry: 42 }, /publishConfig\.registry/],
    [{ '@acme:registry': ['x'] }, /@acme:registry/]
  ])('refuses publishConfig %j as PACKAGE_INVALID', (publishConfig, message) => {
    const error = thrown(() => validate({ ...ok, publishConfig }))
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toMatch(message)
  })

  it('collects @scope:registry entries for the check against the registry in use', () => {
    const manifest = validate({
      name: '@acme/tool',
      version: '1.0.0',
      publishConfig: {
        '@acme:registry': 'https://npm.pkg.github.com',
        '@other:registry': 'https://r.example/'
      }
    })
    expect(manifest.publishConfig.scopeRegistries).toEqual({
      '@acme': 'https://npm.pkg.github.com',
      '@other': 'https://r.example/'
    })
  })
})

describe('validateManifest: the rest', () => {
  it('reports every problem together, numbered, under PACKAGE_INVALID', () => {
    const error = thrown(() =>
      validate({
        name: '.x',
        version: 'one',
        tag: 'x',
        publishConfig: { proxy: 'http://p/', access: 'everyone' }
      })
    )
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toMatch(/^5 problems: \(1\) /)
    for (const part of [/period/, /"one"/, /top-level "tag"/, /"proxy"/, /publishConfig\.access/])
      expect(error.message).toMatch(part)
  })

  it('reports private without refusing it, keeps string scripts and dependencies', () => {
    const manifest = validate({
      ...ok,
      private: true,
      scripts: { prepack: 'tsc', bad: 1 },
      dependencies: { a: '^1.0.0', b: 2 },
      devDependencies: { c: 'workspace:*' },
      bundleDependencies: ['a'],
      repository: { type: 'git', url: 'git+https://github.com/octo/widgets.git' }
    })
    expect(manifest).toMatchObject({
      private: true,
      scripts: { prepack: 'tsc' },
      dependencies: { dependencies: { a: '^1.0.0' }, devDependencies: { c: 'workspace:*' } },
      repository: 'git+https://github.com/octo/widgets.git'
    })
    expect(validate({ ...ok, private: 'true' }).private).toBe(false)
  })

  it.each([
    ['github:octo/widgets', 'octo/widgets'],
    ['octo/widgets', 'octo/widgets'],
    ['git+https://github.com/octo/widgets.git', 'octo/widgets'],
    ['git@github.com:octo/widgets.git', 'octo/widgets'],
    ['https://gitlab.com/octo/widgets', undefined],
    [undefined, undefined]
  ])('reads the GitHub repository of %s as %s', (repository, expected) => {
    expect(githubRepository(repository)).toBe(expected)
  })
})

describe('readRegularFile / readDirectoryManifest', () => {
  it('accepts a package.json with a UTF-8 byte-order mark, as npm does', () => {
    const pkg = packageDir()
    fs.writeFileSync(path.join(pkg, 'package.json'), `\uFEFF${JSON.stringify(ok)}`)
    expect(readDirectoryManifest(pkg)).toMatchObject(ok)
  })

  it('refuses a directory without package.json, and JSON that does not parse', () => {
    const pkg = packageDir()
    expect(thrown(() => readDirectoryManifest(pkg)).message).toMatch(/^No package\.json in /)
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name": "ok",')
    expect(thrown(() => readDirectoryManifest(pkg)).message).toMatch(/is not valid JSON/)
  })

  it('refuses a FIFO named package.json at once, without waiting for a writer', async () => {
    const pkg = packageDir()
    const fifo = path.join(pkg, 'package.json')
    execFileSync('mkfifo', [fifo])
    // If the open waited for a writer, this thread would block; the worker then opens the write
    // end after 1.5 s so the test fails on time instead of hanging.
    const unblocker = new Worker(
      `const fs = require('node:fs')
      setTimeout(() => {
        try { fs.closeSync(fs.openSync(require('node:worker_threads').workerData, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)) } catch {}
      }, 1500)`,
      { eval: true, workerData: fifo }
    )
    await new Promise((resolve) => unblocker.once('online', resolve))
    try {
      const started = Date.now()
      const error = thrown(() => readDirectoryManifest(pkg))
      expect(Date.now() - started).toBeLessThan(1000)
      expect(error.code).toBe('PACKAGE_INVALID')
      expect(error.message).toMatch(/is not a regular file/)
    } finally {
      await unblocker.terminate()
    }
  })

  it('refuses a package.json that is a symbolic link to /dev/zero', () => {
    const pkg = packageDir()
    fs.symlinkSync('/dev/zero', path.join(pkg, 'package.json'))
    const error = thrown(() => readDirectoryManifest(pkg))
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toMatch(/is not a regular file/)
  })

  it('refuses a package.json that is a directory', () => {
    const pkg = packageDir()
    fs.mkdirSync(path.join(pkg, 'package.json'))
    expect(thrown(() => readDirectoryManifest(pkg)).message).toMatch(/is not a regular file/)
  })

  it('reads a file of exactly 4 MiB and refuses one byte more', () => {
    const file = path.join(packageDir(), 'package.json')
    fs.writeFileSync(file, '')
    fs.truncateSync(file, MANIFEST_MAX_BYTES)
    expect(readRegularFile(file)).toHaveLength(MANIFEST_MAX_BYTES)
    fs.truncateSync(file, MANIFEST_MAX_BYTES + 1)
    const error = thrown(() => readRegularFile(file))
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toContain(`${MANIFEST_MAX_BYTES + 1} bytes`)
  })
})
