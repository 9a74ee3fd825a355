/**
 * The rules release tools rely on, end to end through dist/index.js against Verdaccio:
 * publishConfig's provenance / access / tag honoured as the inputs are, npm's name rules for new
 * and existing packages (validate-npm-package-name), dist-tags npm refuses, all bad inputs in one
 * annotation, publishConfig["@scope:registry"], and private packages in a single-package step.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { expectClean, expectRefused, expectNoUpload } from './helpers/expect-run.js'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import { makeSandbox, removeSandboxes, runAction, writePackage } from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'

const exec = promisify(execFile)
const PASSWORD = 'ci-password-1'
let registry: Verdaccio
let token: string

beforeAll(async () => {
  registry = await startVerdaccio()
  const login = await registry.createUser('ci', PASSWORD)
  token = (await registry.createToken(login, PASSWORD)).token
})

afterAll(async () => {
  await registry?.stop()
  removeSandboxes()
})

type Run = Awaited<ReturnType<typeof runAction>>

/** `manifest` in a fresh workspace (`pkg/`), published with the token to Verdaccio. */
function publish(
  manifest: Record<string, unknown>,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<Run> {
  const sandbox = makeSandbox()
  writePackage(path.join(sandbox.workspace, 'pkg'), manifest)
  return runAction({
    inputs: { token, registry: registry.url, package: 'pkg', ...inputs },
    sandbox,
    env
  })
}

describe('publishConfig is honoured like the inputs', () => {
  it('publishConfig.tag chooses the dist-tag (a prerelease needs no tag input), and the tag input beats it', async () => {
    const name = 'rr-config-tag'
    const first = await publish({ name, version: '2.0.0-rc.0', publishConfig: { tag: 'next' } })
    expect(first.main.exitCode).toBe(0)
    expect(first.outputs).toMatchObject({ published: 'true', tag: 'next', 'error-code': '' })
    expectClean(first, token)
    const tags = (await registry.packument(name))?.['dist-tags']
    expect(tags?.['next']).toBe('2.0.0-rc.0')
    expect(tags?.['beta']).toBeUndefined()

    const second = await publish(
      { name, version: '2.0.0-rc.1', publishConfig: { tag: 'next' } },
      { tag: 'beta' }
    )
    expect(second.outputs).toMatchObject({ published: 'true', tag: 'beta' })
    expect((await registry.packument(name))?.['dist-tags']).toEqual({
      ...tags,
      beta: '2.0.0-rc.1'
    })
  }, 60_000)

  it('publishConfig.access goes to npm, and the access input beats it', async () => {
    const name = '@rr/config-access'
    const first = await publish({ name, version: '1.0.0', publishConfig: { access: 'public' } })
    expect(first.outputs).toMatchObject({ published: 'true', access: 'public' })
    const second = await publish(
      { name, version: '1.0.1', publishConfig: { access: 'public' } },
      { access: 'restricted' }
    )
    expect(second.outputs).toMatchObject({ published: 'true', access: 'restricted' })
    expectClean(second, token)
  }, 60_000)

  describe('publishConfig.provenance', () => {
    /** The runner's ID-token endpoint: records every request and answers 500 (no network after it). */
    let idServer: http.Server
    const idRequests: string[] = []
    let idEnv: Record<string, string>
    const repository = { type: 'git', url: 'git+https://github.com/octo/repo.git' }

    beforeAll(async () => {
      idServer = http.createServer((req, res) => {
        idRequests.push(req.url ?? '')
        req.resume()
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"no"}')
      })
      await new Promise<void>((resolve) => idServer.listen(0, '127.0.0.1', resolve))
      const { port } = idServer.address() as AddressInfo
      idEnv = {
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/id-token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-request-token-0123456789',
        RUNNER_ENVIRONMENT: 'github-hosted'
      }
    })

    afterAll(async () => {
      idServer.closeAllConnections()
      await new Promise((resolve) => idServer.close(resolve))
    })

    it('true runs the provenance checks before anything is uploaded (no id-token: write)', async () => {
      const name = 'rr-provenance-perm'
      const run = await publish({
        name,
        version: '1.0.0',
        repository,
        publishConfig: { provenance: true }
      })
      expect(expectRefused(run, 'PROVENANCE_FAILED')).toContain('id-token: write')
      expectNoUpload(run)
      expectClean(run, token)
      expect(await registry.packument(name)).toBeUndefined()
    }, 60_000)

    it('true, for a package new to the registry, needs public access: checked before npm runs', async () => {
      idRequests.length = 0
      const name = 'rr-provenance-new'
      const run = await publish(
        { name, version: '1.0.0', repository, publishConfig: { provenance: true } },
        {},
        idEnv
      )
      // npm would refuse only after asking the registry ("Can't generate provenance for new or
      // private package"), with the ID token already requested.
      expect(expectRefused(run, 'PROVENANCE_FAILED')).toContain('`access: public`')
      expectNoUpload(run)
      expect(idRequests).toEqual([])
      expect(await registry.packument(name)).toBeUndefined()
    }, 60_000)

    it('true hands npm the ID-token variables: npm asks the runner for a sigstore token', async () => {
      idRequests.length = 0
      const name = 'rr-provenance-signs'
      const run = await publish(
        {
          name,
          version: '1.0.0',
          repository,
          publishConfig: { provenance: true, access: 'public' }
        },
        {},
        idEnv
      )
      // The endpoint refused, so npm could not sign: a provenance failure, not PUBLISH_FAILED.
      expect(expectRefused(run, 'PROVENANCE_FAILED')).toContain('IDENTITY_TOKEN')
      expect(idRequests.some((url) => url.includes('audience=sigstore'))).toBe(true)
      expectClean(run, token)
      expect(await registry.packument(name)).toBeUndefined()
    }, 60_000)

    it('the provenance input (false) beats publishConfig.provenance: true', async () => {
      idRequests.length = 0
      const run = await publish(
        {
          name: 'rr-provenance-off',
          version: '1.0.0',
          repository,
          publishConfig: { provenance: true }
        },
        { provenance: 'false' },
        idEnv
      )
      expect(run.outputs).toMatchObject({ published: 'true', 'error-code': '' })
      // npm ran without the ID-token variables: nothing asked the runner for a token.
      expect(idRequests).toEqual([])
      expectClean(run, token)
    }, 60_000)

    it('false publishes without provenance even where an ID token could be had', async () => {
      idRequests.length = 0
      const run = await publish(
        {
          name: 'rr-provenance-false',
          version: '1.0.0',
          repository,
          publishConfig: { provenance: false }
        },
        {},
        idEnv
      )
      expect(run.outputs).toMatchObject({ published: 'true', 'error-code': '' })
      expect(idRequests).toEqual([])
    }, 60_000)
  })
})

describe("npm's name rules (validate-npm-package-name), before any upload", () => {
  it('refuses a core module name (http) for a package new to the registry', async () => {
    const run = await publish({ name: 'http', version: '1.0.0' })
    expect(expectRefused(run, 'PACKAGE_INVALID')).toContain('http is a core module name')
    expectNoUpload(run)
    expect(await registry.packument('http')).toBeUndefined()
  }, 60_000)

  it('refuses a 215-character name for a package new to the registry', async () => {
    const name = `rr-${'x'.repeat(212)}`
    expect(name).toHaveLength(215)
    const run = await publish({ name, version: '1.0.0' })
    expect(expectRefused(run, 'PACKAGE_INVALID')).toContain('more than 214 characters')
    expectNoUpload(run)
  }, 60_000)

  it('accepts JSONStream, which already exists (rules for old packages)', async () => {
    // Seed JSONStream@1.0.0 with npm itself, as it was published before the rule.
    const seed = makeSandbox()
    const dir = writePackage(path.join(seed.workspace, 'JSONStream'), {
      name: 'JSONStream',
      version: '1.0.0'
    })
    const npmrc = path.join(seed.home, '.npmrc')
    const host = new URL(registry.url).host
    fs.writeFileSync(npmrc, `//${host}/:_authToken=${token}\n`)
    await exec('npm', ['publish', dir, '--registry', registry.url, '--userconfig', npmrc], {
      env: { PATH: process.env['PATH'], HOME: seed.home, npm_config_update_notifier: 'false' }
    })
    fs.rmSync(npmrc)
    expect((await registry.packument('JSONStream'))?.['dist-tags']).toEqual({ latest: '1.0.0' })

    const run = await publish({ name: 'JSONStream', version: '1.0.1' })
    expect(run.outputs).toMatchObject({ published: 'true', id: 'JSONStream@1.0.1', type: 'patch' })
    expectClean(run, token)
    // A new package by that spelling is still refused.
    const fresh = await publish({ name: 'NewStream', version: '1.0.0' })
    expect(expectRefused(fresh, 'PACKAGE_INVALID')).toContain('capital letters')
  }, 90_000)
})

describe('inputs', () => {
  it('a dist-tag that changes when URI-encoded (fresh&clean) is INPUT_INVALID, in validate-only too', async () => {
    const publishRun = await publish(
      { name: 'rr-tag-encoded', version: '1.0.0' },
      {
        tag: 'fresh&clean'
      }
    )
    expect(expectRefused(publishRun, 'INPUT_INVALID')).toContain('fresh&clean')
    const health = await publish(
      { name: 'rr-tag-encoded', version: '1.0.0' },
      {
        tag: 'fresh&clean',
        'validate-only': 'true'
      }
    )
    expect(expectRefused(health, 'INPUT_INVALID')).toContain('URI-encoded')
    expectClean(health, token)
    expect(await registry.packument('rr-tag-encoded')).toBeUndefined()
  }, 60_000)

  it('reports several bad inputs together in one annotation', async () => {
    const run = await publish(
      { name: 'rr-bad-inputs', version: '1.0.0' },
      {
        tag: 'fresh&clean',
        access: 'NOT-VALID-ACCESS',
        strategy: 'NOT-VALID-STRATEGY',
        'dry-run': 'maybe'
      }
    )
    const annotation = expectRefused(run, 'INPUT_INVALID')
    expect(annotation).toContain('4 problems')
    for (const part of ['fresh&clean', 'NOT-VALID-ACCESS', 'NOT-VALID-STRATEGY', '`dry-run`'])
      expect(annotation).toContain(part)
    expectClean(run, token)
  }, 60_000)
})

describe('publishConfig["@scope:registry"]', () => {
  it('equal to the registry in use is accepted (as GitHub Packages documents it)', async () => {
    const run = await publish({
      name: '@rr/scope-same',
      version: '1.0.0',
      publishConfig: { '@rr:registry': registry.url }
    })
    expect(run.outputs).toMatchObject({ published: 'true', 'error-code': '' })
    expectClean(run, token)
  }, 60_000)

  it('naming another registry is PACKAGE_INVALID, before any request', async () => {
    const run = await publish({
      name: '@rr/scope-other',
      version: '1.0.0',
      publishConfig: { '@rr:registry': 'https://npm.pkg.github.com/' }
    })
    expect(expectRefused(run, 'PACKAGE_INVALID')).toContain('npm.pkg.github.com')
    expectNoUpload(run)
    expect(run.outputs['token-check']).not.toBe('passed')
  }, 60_000)
})

describe('private packages', () => {
  it('a private package in a single-package step is PACKAGE_INVALID, with a hint on how to skip it', async () => {
    const run = await publish({ name: 'rr-private', version: '1.0.0', private: true })
    const annotation = expectRefused(run, 'PACKAGE_INVALID')
    expect(annotation).toContain('"private": true')
    expect(annotation).toContain('To skip it instead')
    expect(annotation).toContain('`workspaces: true`')
    expectNoUpload(run)
    expect(await registry.packument('rr-private')).toBeUndefined()
  }, 60_000)
})
