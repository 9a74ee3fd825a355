import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { readManifest, validateManifest } from '../src/manifest.js'
import { codeOf } from './helpers/code-of.js'

const run = promisify(execFile)
let dir: string

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-manifest-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('validateManifest', () => {
  it.each([
    [{ version: '1.0.0' }, 'PACKAGE_INVALID'],
    [{ name: 'Bad Name', version: '1.0.0' }, 'PACKAGE_INVALID'],
    [{ name: 'ok', version: 'one' }, 'PACKAGE_INVALID'],
    [{ name: 'ok', version: '1.0.0', private: true }, 'PACKAGE_INVALID'],
    [{ name: '@scope/ok', version: '1.0.0' }, undefined]
  ])('%j → %s', (json, code) => {
    expect(codeOf(() => validateManifest(json, 'package.json'))).toBe(code)
  })

  it.each([
    [{ proxy: 'http://127.0.0.1:9/' }],
    [{ 'https-proxy': 'http://127.0.0.1:9/' }],
    [{ ca: '-----BEGIN CERTIFICATE-----' }],
    [{ 'strict-ssl': false }],
    [{ '@acme:registry': 'https://elsewhere.example/' }],
    [{ '//elsewhere.example/:_authToken': 'x' }],
    [{ _authToken: 'x' }]
  ])('refuses a publishConfig that would route the upload: %j', (publishConfig) => {
    expect(
      codeOf(() => validateManifest({ name: 'ok', version: '1.0.0', publishConfig }, 'p'))
    ).toBe('PACKAGE_INVALID')
  })

  it('accepts the publishConfig keys packages use (registry is overridden by the input)', () => {
    const publishConfig = {
      access: 'public',
      tag: 'next',
      registry: 'https://r.example/',
      main: 'dist/index.js',
      exports: {},
      provenance: true
    }
    expect(
      codeOf(() => validateManifest({ name: 'ok', version: '1.0.0', publishConfig }, 'p'))
    ).toBeUndefined()
  })

  it('keeps scripts and publishConfig', () => {
    expect(
      validateManifest(
        {
          name: 'a',
          version: 'v1.2.3',
          scripts: { prepack: 'x', bad: 1 },
          publishConfig: { tag: 'next', access: 'public' }
        },
        'p'
      )
    ).toEqual({
      name: 'a',
      version: '1.2.3',
      scripts: { prepack: 'x' },
      publishConfig: { tag: 'next', access: 'public' }
    })
  })
})

describe('readManifest', () => {
  it('reads a .tgz made by npm pack, with the integrity npm computes', async () => {
    const pkg = path.join(dir, 'pkg')
    fs.mkdirSync(pkg)
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: '@acme/tool', version: '2.1.0' })
    )
    fs.writeFileSync(path.join(pkg, 'big.txt'), crypto.randomBytes(300_000).toString('hex'))
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: pkg })
    const [packed] = JSON.parse(stdout) as { filename: string; integrity: string; shasum: string }[]
    const manifest = await readManifest(path.join(dir, packed.filename), 'tarball')
    expect(manifest).toMatchObject({ name: '@acme/tool', version: '2.1.0' })
    expect(manifest.digest).toEqual({ integrity: packed.integrity, shasum: packed.shasum })
  })

  it('rejects a file that is not a tarball, and a directory without package.json', async () => {
    const bogus = path.join(dir, 'bogus.tgz')
    fs.writeFileSync(bogus, 'not gzip')
    await expect(readManifest(bogus, 'tarball')).rejects.toMatchObject({ code: 'PACKAGE_INVALID' })
    await expect(readManifest(dir, 'directory')).rejects.toMatchObject({ code: 'PACKAGE_INVALID' })
  })
})
