/**
 * The peers' own behaviour tests, ported: every case here mirrors a test of
 * semantic-release/npm (test/integration.test.js, test/verify-auth.test.js) or of
 * JS-DevTools/npm-publish (src/**\/__tests__, test/specs) and is named after it, run end to end
 * through dist/index.js against Verdaccio. Where this action deliberately behaves otherwise, the
 * test asserts this action's behaviour and __tests__/peers.md says why.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { expectClean, expectRefused, expectNoUpload } from './helpers/expect-run.js'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import zlib from 'node:zlib'
import { makeSandbox, removeSandboxes, runAction, writePackage } from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'

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

interface PublishOptions {
  inputs?: Record<string, string>
  env?: Record<string, string>
  /** Where the package sits in the workspace (semantic-release's pkgRoot). */
  dir?: string
  /** Leave the `registry` input unset (publishConfig.registry or npm's default decides). */
  noRegistryInput?: boolean
}

/** `manifest` in a fresh workspace, run through the action with the token. */
function publish(manifest: Record<string, unknown>, options: PublishOptions = {}): Promise<Run> {
  const sandbox = makeSandbox()
  const dir = options.dir ?? 'pkg'
  writePackage(path.join(sandbox.workspace, dir), manifest)
  return runAction({
    inputs: {
      token,
      ...(options.noRegistryInput ? {} : { registry: registry.url }),
      package: dir,
      ...options.inputs
    },
    sandbox,
    env: options.env
  })
}

async function distTags(name: string): Promise<Record<string, string> | undefined> {
  return (await registry.packument(name))?.['dist-tags']
}

/**
 * A version on the registry without the action, as another tool published it: one publish
 * document (npm's shape) with a stand-in tarball. `tags` are the dist-tags npm would send.
 */
async function seed(name: string, version: string, tags: string[]): Promise<void> {
  const data = zlib.gzipSync(Buffer.from(`${name}@${version}`))
  const file = `${name.replace(/^@[^/]+\//, '')}-${version}.tgz`
  const body = {
    _id: name,
    name,
    'dist-tags': Object.fromEntries(tags.map((tag) => [tag, version])),
    versions: {
      [version]: {
        _id: `${name}@${version}`,
        name,
        version,
        dist: {
          shasum: crypto.createHash('sha1').update(data).digest('hex'),
          integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
          tarball: `${registry.url}${name}/-/${file}`
        }
      }
    },
    _attachments: {
      [file]: {
        content_type: 'application/octet-stream',
        data: data.toString('base64'),
        length: data.length
      }
    }
  }
  const { status } = await registry.api('PUT', name.replace('/', '%2f'), { token, body })
  expect(status).toBe(201)
}

/** Points a dist-tag somewhere, as `npm dist-tag add` does. */
async function setTag(name: string, tag: string, version: string): Promise<void> {
  const { status } = await registry.api(
    'PUT',
    `-/package/${name.replace('/', '%2f')}/dist-tags/${tag}`,
    { token, body: version }
  )
  expect(status).toBeLessThan(300)
}

describe('semantic-release/npm test/integration.test.js', () => {
  it('Publish the package', async () => {
    // Upstream: publishConfig.registry names the registry and nothing else does.
    const run = await publish(
      { name: 'sr-publish', version: '1.0.0', publishConfig: { registry: registry.url } },
      { noRegistryInput: true }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      published: 'true',
      id: 'sr-publish@1.0.0',
      tag: 'latest',
      registry: registry.url,
      // npm's default access, not a value of the action's own (npm-publish says "public").
      access: ''
    })
    expect(await distTags('sr-publish')).toEqual({ latest: '1.0.0' })
    expectClean(run, token)
  }, 60_000)

  it('Publish the package on a dist-tag', async () => {
    const run = await publish(
      {
        name: 'sr-publish-tag',
        version: '1.0.0',
        publishConfig: { registry: registry.url, tag: 'next' }
      },
      { noRegistryInput: true, inputs: { tag: 'next' } }
    )
    expect(run.outputs).toMatchObject({ published: 'true', tag: 'next' })
    // Verdaccio gives a package a `latest` on its first publish, whatever the tag.
    expect(await distTags('sr-publish-tag')).toEqual({ latest: '1.0.0', next: '1.0.0' })
  }, 60_000)

  it('Publish the package from a sub-directory', async () => {
    const run = await publish({ name: 'sr-publish-sub-dir', version: '1.0.0' }, { dir: 'dist' })
    expect(run.outputs).toMatchObject({ published: 'true', id: 'sr-publish-sub-dir@1.0.0' })
    expect(await distTags('sr-publish-sub-dir')).toEqual({ latest: '1.0.0' })
  }, 60_000)

  it('Create the package and skip publish ("npmPublish" is false)', async () => {
    // The action's counterpart of "pack, do not publish" is `dry-run`.
    const run = await publish(
      { name: 'sr-skip-publish', version: '1.0.0' },
      { inputs: { 'dry-run': 'true' } }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'false', 'dry-run': 'true', id: '' })
    expect(run.outputs['integrity']).toMatch(/^sha512-/)
    expect(await registry.packument('sr-skip-publish')).toBeUndefined()
    expectClean(run, token)
  }, 60_000)

  it('Create the package and skip publish ("package.private" is true)', async () => {
    // semantic-release/npm skips a private package silently; a publish step refuses it, and says how to skip it.
    const run = await publish({ name: 'sr-skip-private', version: '1.0.0', private: true })
    const annotation = expectRefused(run, 'PACKAGE_INVALID')
    expect(annotation).toContain('"private": true')
    expect(annotation).toContain('To skip it instead')
    expectNoUpload(run)
    expect(await registry.packument('sr-skip-private')).toBeUndefined()
  }, 60_000)

  it('Skip adding the package to a channel ("package.private" is true)', async () => {
    const run = await publish(
      { name: 'sr-skip-channel-private', version: '1.0.0', private: true },
      { inputs: { tag: 'next' } }
    )
    expectRefused(run, 'PACKAGE_INVALID')
    expect(await registry.packument('sr-skip-channel-private')).toBeUndefined()
  }, 60_000)

  it('Publish the package and add to default dist-tag', async () => {
    const name = 'sr-add-channel'
    await seed(name, '0.9.0', ['latest'])
    const onNext = await publish({ name, version: '1.0.0' }, { inputs: { tag: 'next' } })
    expect(onNext.outputs).toMatchObject({ published: 'true', tag: 'next' })
    expect(await distTags(name)).toEqual({ latest: '0.9.0', next: '1.0.0' })
    // addChannel with no channel: the same version, now under latest.
    const promoted = await publish({ name, version: '1.0.0' }, { inputs: { tag: 'latest' } })
    expect(promoted.main.exitCode).toBe(0)
    expect(promoted.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'true',
      tag: 'latest',
      'old-version': '0.9.0'
    })
    expect(await distTags(name)).toEqual({ latest: '1.0.0', next: '1.0.0' })
    expectClean(promoted, token)
  }, 90_000)

  it('Publish the package and add to lts dist-tag', async () => {
    const name = 'sr-add-channel-legacy'
    const first = await publish({ name, version: '1.0.0' }, { inputs: { tag: 'latest' } })
    expect(first.outputs['published']).toBe('true')
    // Channel "1.x" → @semantic-release/npm's dist-tag "release-1.x".
    const lts = await publish({ name, version: '1.0.0' }, { inputs: { tag: 'release-1.x' } })
    expect(lts.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'true',
      tag: 'release-1.x'
    })
    expect(await distTags(name)).toEqual({ latest: '1.0.0', 'release-1.x': '1.0.0' })
  }, 90_000)

  it('Skip adding the package to a channel ("npmPublish" is false)', async () => {
    const name = 'sr-skip-add-channel'
    await publish({ name, version: '1.0.0' })
    const dry = await publish(
      { name, version: '1.0.0' },
      { inputs: { tag: 'next', 'dry-run': 'true' } }
    )
    expect(dry.main.exitCode).toBe(0)
    expect(dry.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'false',
      'dry-run': 'true'
    })
    expect(dry.main.stdout).toContain('would move "next" to 1.0.0')
    expect(await distTags(name)).toEqual({ latest: '1.0.0' })
  }, 90_000)

  it('Throws error if NPM token is invalid when targeting the default registry', async () => {
    const wrong = 'wrong_token_0123456789abcdef'
    const run = await publish(
      { name: 'sr-invalid-token', version: '1.0.0' },
      { inputs: { token: wrong } }
    )
    expect(expectRefused(run, 'TOKEN_INVALID')).toContain('whoami')
    expectNoUpload(run)
    expectClean(run, wrong)
    expect(await registry.packument('sr-invalid-token')).toBeUndefined()
  }, 60_000)

  it('Throws error if NPM token is not provided when targeting the default registry', async () => {
    const run = await publish({ name: 'sr-no-token', version: '1.0.0' }, { inputs: { token: '' } })
    expect(expectRefused(run, 'TOKEN_MALFORMED')).toContain('The `token` input is empty')
    expectNoUpload(run)
  }, 60_000)

  it('Verify the token with a publish dry-run if the registry configured is not the default one (skipped upstream)', async () => {
    // Upstream never checks a token for a registry other than npmjs; the action checks it on any.
    const wrong = 'wrong_token_for_a_custom_registry'
    const run = await publish(
      { name: 'sr-custom-registry', version: '1.0.0', publishConfig: { registry: registry.url } },
      { noRegistryInput: true, inputs: { token: wrong, 'validate-only': 'true' } }
    )
    expectRefused(run, 'TOKEN_INVALID')
    expect(run.outputs['token-check']).toBe('failed')
    expectClean(run, wrong)
  }, 60_000)

  it('Verify npm auth and package', async () => {
    const run = await publish(
      { name: 'sr-valid-token', version: '0.0.0-dev' },
      { inputs: { 'validate-only': 'true', tag: 'next' } }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'token-check': 'passed', 'token-user': 'ci' })
    expect(await registry.packument('sr-valid-token')).toBeUndefined()
  }, 60_000)

  it('Verify npm auth and package from a sub-directory', async () => {
    const run = await publish(
      { name: 'sr-valid-token-sub-dir', version: '0.0.0-dev' },
      { dir: 'dist', inputs: { 'validate-only': 'true', tag: 'next' } }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'token-check': 'passed', name: 'sr-valid-token-sub-dir' })
  }, 60_000)

  it('Verify npm auth and package with "npm_config_registry" env var set by yarn', async () => {
    // A registry in the environment (nothing listens there) neither redirects nor breaks the run.
    const run = await publish(
      { name: 'sr-yarn-registry', version: '1.0.0' },
      {
        env: {
          npm_config_registry: 'http://127.0.0.1:9/',
          NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/'
        }
      }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'true', registry: registry.url })
    expect(await distTags('sr-yarn-registry')).toEqual({ latest: '1.0.0' })
  }, 60_000)

  it('Throw SemanticReleaseError Array if config option are not valid in verifyConditions', async () => {
    const run = await publish(
      { name: 'sr-bad-config', version: '1.0.0' },
      { inputs: { 'dry-run': '42', 'ignore-scripts': '42', package: 'no-such-dir' } }
    )
    const annotation = expectRefused(run, 'INPUT_INVALID')
    expect(annotation).toContain('3 problems')
    for (const part of ['`dry-run`', '`ignore-scripts`', 'no-such-dir'])
      expect(annotation).toContain(part)
  }, 60_000)
})

describe('semantic-release/npm test/verify-auth.test.js', () => {
  it('that the provided token is verified with `npm whoami` when trusted publishing is not established for the official registry', async () => {
    const run = await publish(
      { name: 'sr-whoami', version: '1.0.0' },
      { inputs: { 'validate-only': 'true' } }
    )
    expect(run.outputs).toMatchObject({
      'token-check': 'passed',
      'token-user': 'ci',
      'auth-path': 'token'
    })
    expect(run.summary).toContain('Registry login (whoami)')
    expect(run.summary).toContain('logged in as ci')
  }, 60_000)

  it('that the auth context for the official registry is considered invalid when no token is provided and trusted publishing is not established', async () => {
    // `auth: auto` without id-token: write falls back to the token, which is missing.
    const run = await publish(
      { name: 'sr-no-oidc', version: '1.0.0' },
      { inputs: { token: '', auth: 'auto' } }
    )
    expect(expectRefused(run, 'TOKEN_MALFORMED')).toContain('The `token` input is empty')
    expectNoUpload(run)
  }, 60_000)

  it('that the token is considered invalid when the publish dry run fails when publishing to a custom registry (skipped upstream)', async () => {
    // Upstream skips it: a dry run cannot tell. The action asks the registry (whoami) instead.
    const wrong = 'not_a_token_of_this_registry'
    const run = await publish(
      { name: 'sr-dry-run-auth', version: '1.0.0' },
      { inputs: { token: wrong, 'dry-run': 'true' } }
    )
    expect(expectRefused(run, 'TOKEN_INVALID')).toContain('whoami')
    expectClean(run, wrong)
  }, 60_000)
})

describe('JS-DevTools/npm-publish src/compare-and-publish/__tests__/compare-versions.test.ts', () => {
  it('should recognize initial release on a tag', async () => {
    const run = await publish(
      { name: 'np-initial-tag', version: '0.0.0' },
      { inputs: { tag: 'next' } }
    )
    expect(run.outputs).toMatchObject({
      published: 'true',
      type: 'initial',
      'old-version': '',
      tag: 'next'
    })
  }, 60_000)

  it('should handle no known versions or dist tags', async () => {
    const run = await publish(
      { name: 'np-no-versions', version: '0.0.0' },
      { inputs: { 'validate-only': 'true' } }
    )
    expect(run.outputs).toMatchObject({ type: 'initial', 'old-version': '', tag: 'latest' })
  }, 60_000)

  it('should recognize an unpublished release', async () => {
    // strategy all, a version lower than the tag's: published (npm-publish's type "different" is "lower" here).
    const name = 'np-unpublished'
    await seed(name, '1.2.3', ['next'])
    await seed(name, '4.5.6', ['latest'])
    const run = await publish(
      { name, version: '0.0.0' },
      { inputs: { tag: 'next', strategy: 'all' } }
    )
    expect(run.outputs).toMatchObject({ published: 'true', type: 'lower', 'old-version': '1.2.3' })
    expect(await distTags(name)).toEqual({ latest: '4.5.6', next: '0.0.0' })
  }, 60_000)

  it('should recognize an upgrade release', async () => {
    const name = 'np-upgrade'
    await seed(name, '1.2.3', ['next'])
    await seed(name, '4.5.6', ['latest'])
    const run = await publish(
      { name, version: '1.4.3' },
      { inputs: { tag: 'next', strategy: 'upgrade' } }
    )
    expect(run.outputs).toMatchObject({ published: 'true', type: 'minor', 'old-version': '1.2.3' })
    expect(await distTags(name)).toEqual({ latest: '4.5.6', next: '1.4.3' })
  }, 60_000)

  it('should not release if version already exists (and compare-and-publish: should skip publish if version exists)', async () => {
    const name = 'np-exists'
    await publish({ name, version: '4.5.6' }, { inputs: { tag: 'next' } })
    const run = await publish({ name, version: '4.5.6' }, { inputs: { tag: 'next' } })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      published: 'false',
      id: '',
      'old-version': '4.5.6',
      // npm-publish leaves type empty; the action says "same".
      type: 'same',
      'tag-moved': 'false'
    })
    expectClean(run, token)
  }, 90_000)

  it('should not upgrade if version already exists', async () => {
    // npm-publish does nothing. The action promotes: the same content, the tag moves up (never down).
    const name = 'np-upgrade-exists'
    await seed(name, '1.2.3', ['next'])
    const first = await publish({ name, version: '4.5.6' }, { inputs: { tag: 'other' } })
    expect(first.outputs['published']).toBe('true')
    const run = await publish(
      { name, version: '4.5.6' },
      { inputs: { tag: 'next', strategy: 'upgrade' } }
    )
    expect(run.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'true',
      'old-version': '1.2.3'
    })
    expect((await distTags(name))?.['next']).toBe('4.5.6')
    // …and never down: with next on a higher version, the same run leaves it there.
    await seed(name, '9.9.9', ['x'])
    await setTag(name, 'next', '9.9.9')
    const again = await publish(
      { name, version: '4.5.6' },
      { inputs: { tag: 'next', strategy: 'upgrade' } }
    )
    expect(again.main.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'false',
      'old-version': '9.9.9'
    })
    expect((await distTags(name))?.['next']).toBe('9.9.9')
  }, 120_000)

  it('should not upgrade if not an upgrade', async () => {
    const name = 'np-not-upgrade'
    await seed(name, '1.2.3', ['next'])
    await seed(name, '4.5.6', ['latest'])
    const run = await publish(
      { name, version: '1.2.2' },
      { inputs: { tag: 'next', strategy: 'upgrade' } }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'false', type: 'lower', 'old-version': '1.2.3' })
    expect(run.main.stdout).toContain('strategy "upgrade"')
    expect(await distTags(name)).toEqual({ latest: '4.5.6', next: '1.2.3' })
  }, 60_000)
})

describe('JS-DevTools/npm-publish src/compare-and-publish/__tests__/compare-and-publish.test.ts', () => {
  /** A loopback front to Verdaccio whose packument answers can be made to fail with a 500. */
  let front: http.Server
  let frontUrl: string
  let failPackument: string | undefined

  beforeAll(async () => {
    front = http.createServer((req, res) => {
      if (failPackument && req.method === 'GET' && req.url === `/${failPackument}`) {
        req.resume()
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"oh no"}')
        return
      }
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: registry.port,
          method: req.method,
          path: req.url,
          headers: req.headers
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    })
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
    frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}/`
  })

  afterAll(async () => {
    front.closeAllConnections()
    await new Promise((resolve) => front.close(resolve))
  })

  it('should get versions, compare, and publish', async () => {
    const name = 'np-compare'
    await seed(name, '0.0.1', ['latest'])
    const run = await publish({ name, version: '1.2.3' })
    expect(run.outputs).toMatchObject({
      published: 'true',
      id: 'np-compare@1.2.3',
      'old-version': '0.0.1',
      type: 'major'
    })
  }, 60_000)

  it('should get versions, compare, and publish in dry run', async () => {
    const name = 'np-compare-dry'
    await seed(name, '0.0.1', ['latest'])
    const run = await publish({ name, version: '1.2.3' }, { inputs: { 'dry-run': 'true' } })
    expect(run.outputs).toMatchObject({
      published: 'false',
      'dry-run': 'true',
      // npm-publish reports the id of what it would publish; the action only of what it published.
      id: '',
      'old-version': '0.0.1',
      type: 'major'
    })
    expect(await distTags(name)).toEqual({ latest: '0.0.1' })
  }, 60_000)

  it('should run publish if version exists but dry run', async () => {
    // npm-publish runs `npm publish --dry-run` anyway; the action compares the content and is done.
    const name = 'np-exists-dry'
    await publish({ name, version: '1.0.0' })
    const run = await publish({ name, version: '1.0.0' }, { inputs: { 'dry-run': 'true' } })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'false', 'dry-run': 'true', type: 'same' })
    expect(run.main.stdout).toContain('identical content')
  }, 90_000)

  it('should handle an E404 from npm view', async () => {
    const run = await publish({ name: 'np-e404', version: '1.0.0' })
    expect(run.outputs).toMatchObject({ published: 'true', type: 'initial', 'old-version': '' })
  }, 60_000)

  it('should raise a non-E404 from npm view', async () => {
    failPackument = 'np-e500'
    const run = await publish(
      { name: 'np-e500', version: '1.0.0' },
      { inputs: { registry: frontUrl }, env: { NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '1000' } }
    )
    failPackument = undefined
    expect(expectRefused(run, 'REGISTRY_UNREACHABLE')).toContain('500')
    expectNoUpload(run)
    expect(await registry.packument('np-e500')).toBeUndefined()
  }, 60_000)
})

describe('JS-DevTools/npm-publish src/__tests__/normalize-options.test.ts', () => {
  it('should take defaults from `pkg.publishConfig` (the registry)', async () => {
    const run = await publish(
      { name: 'np-config-registry', version: '1.0.0', publishConfig: { registry: registry.url } },
      { noRegistryInput: true, inputs: { 'validate-only': 'true' } }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ registry: registry.url, 'token-check': 'passed' })
    expect(run.main.stdout).toContain('publishConfig.registry')
  }, 60_000)

  it('should throw if registry URL invalid', async () => {
    const run = await publish(
      { name: 'np-bad-registry', version: '1.0.0' },
      { inputs: { registry: 'hello world' } }
    )
    expect(expectRefused(run, 'INPUT_INVALID')).toContain('hello world')
  }, 60_000)

  it('should throw if token invalid (should set unspecified token to undefined)', async () => {
    const run = await publish(
      { name: 'np-bad-token', version: '1.0.0' },
      { inputs: { token: '   ' } }
    )
    expect(expectRefused(run, 'TOKEN_MALFORMED')).toContain('The `token` input is empty')
  }, 60_000)

  it('should take default configs from `pkg.publishConfig`', async () => {
    const run = await publish({
      name: '@np/config-defaults',
      version: '1.0.0-beta.0',
      publishConfig: { tag: 'next', access: 'public' }
    })
    expect(run.outputs).toMatchObject({ published: 'true', tag: 'next', access: 'public' })
    expect((await distTags('@np/config-defaults'))?.['next']).toBe('1.0.0-beta.0')
  }, 60_000)

  it('should validate tag value', async () => {
    const run = await publish(
      { name: 'np-tag-value', version: '1.0.0' },
      { inputs: { tag: 'fresh&clean' } }
    )
    expect(expectRefused(run, 'INPUT_INVALID')).toContain('fresh&clean')
  }, 60_000)

  it('should validate access value', async () => {
    const run = await publish(
      { name: 'np-access-value', version: '1.0.0' },
      { inputs: { access: 'NOT-VALID-ACCESS' } }
    )
    expect(expectRefused(run, 'INPUT_INVALID')).toContain('NOT-VALID-ACCESS')
  }, 60_000)

  it('should validate strategy value', async () => {
    const run = await publish(
      { name: 'np-strategy-value', version: '1.0.0' },
      { inputs: { strategy: 'NOT-VALID-STRATEGY' } }
    )
    expect(expectRefused(run, 'INPUT_INVALID')).toContain('NOT-VALID-STRATEGY')
  }, 60_000)
})

describe('JS-DevTools/npm-publish test/specs/action (v1 behaviour tests)', () => {
  it('should publish a new version to NPM if the version is lower', async () => {
    // npm-publish v1 published it under latest; the action needs `tag` for that (TAG_REQUIRED).
    const name = 'np-lower'
    await seed(name, '2.0.0', ['latest'])
    const run = await publish({ name, version: '1.0.0' })
    expect(expectRefused(run, 'TAG_REQUIRED')).toContain('lower than the current latest')
    expectNoUpload(run)
    expect(await distTags(name)).toEqual({ latest: '2.0.0' })
  }, 60_000)

  it('should fail if the package name is invalid', async () => {
    const run = await publish({ name: '.invalid name', version: '1.0.0' })
    expect(expectRefused(run, 'PACKAGE_INVALID')).toContain('is not a valid npm package name')
  }, 60_000)

  it('should fail if the package version is invalid', async () => {
    const run = await publish({ name: 'np-bad-version', version: '1.0' })
    expect(expectRefused(run, 'PACKAGE_INVALID')).toContain('"1.0"')
  }, 60_000)

  it('should fail if the package.json file does not exist', async () => {
    const sandbox = makeSandbox()
    fs.mkdirSync(path.join(sandbox.workspace, 'empty'))
    const run = await runAction({
      inputs: { token, registry: registry.url, package: 'empty' },
      sandbox
    })
    expect(expectRefused(run, 'PACKAGE_INVALID')).toContain('No package.json')
  }, 60_000)

  it('should fail if the package.json file is invalid', async () => {
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'np-bad-json', version: '1.0.0' })
    fs.writeFileSync(path.join(sandbox.workspace, 'pkg', 'package.json'), '{"name": "np-bad-json",')
    const run = await runAction({
      inputs: { token, registry: registry.url, package: 'pkg' },
      sandbox
    })
    expect(expectRefused(run, 'PACKAGE_INVALID')).toContain('not valid JSON')
  }, 60_000)
})
