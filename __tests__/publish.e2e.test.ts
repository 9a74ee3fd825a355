/**
 * End to end through dist/index.js, run as the GitHub runner runs it (main, then post), against a
 * real Verdaccio registry on loopback with real users and tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  makeSandbox,
  removeSandboxes,
  runAction,
  writePackage,
  type RunResult
} from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'
import { spawnRecorder } from './helpers/spawns.js'

const exec = promisify(execFile)
const PASSWORD = 'ci-password-1'
let registry: Verdaccio
let login: string
let token: string

beforeAll(async () => {
  registry = await startVerdaccio()
  login = await registry.createUser('ci', PASSWORD)
  token = (await registry.createToken(login, PASSWORD)).token
})

afterAll(async () => {
  await registry.stop()
  removeSandboxes()
})

/** The packument of a package that must exist. */
async function published(name: string) {
  const packument = await registry.packument(name)
  if (!packument) throw new Error(`${name} is not on the registry`)
  return packument
}

/** Publishes `manifest` from a fresh workspace; returns the run. */
async function publish(
  manifest: Record<string, unknown>,
  inputs: Record<string, string> = {},
  files: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<RunResult> {
  const sandbox = makeSandbox()
  writePackage(path.join(sandbox.workspace, 'pkg'), manifest, files)
  return runAction({
    inputs: { token, registry: registry.url, package: 'pkg', ...inputs },
    sandbox,
    env
  })
}

/** What every run must satisfy: post ran clean, nothing left, the token nowhere. */
function expectHygiene(run: RunResult, secret = token): void {
  expect(run.post?.exitCode).toBe(0)
  expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
  expect(findLeaks(secret, runSources(run))).toEqual([])
}

/** The `::error` annotations of a run. */
function errors(run: RunResult): string[] {
  return run.main.stdout.split('\n').filter((line) => line.startsWith('::error'))
}

/** One annotation whose title is the code and whose text does not repeat it. */
function expectFailure(run: RunResult, code: string): string {
  expect(run.main.exitCode).toBe(1)
  expect(run.outputs['error-code']).toBe(code)
  expect(run.outputs['published']).toBe('false')
  const annotations = errors(run)
  expect(annotations).toHaveLength(1)
  expect(annotations[0]).toMatch(new RegExp(`^::error title=${code}::\\S`))
  expect(annotations[0]).not.toContain(`[${code}]`)
  return annotations[0]
}

function packagesOutput(run: RunResult): Record<string, unknown>[] {
  return JSON.parse(run.outputs['packages'] ?? '[]') as Record<string, unknown>[]
}

describe('publishing through the built action', () => {
  it('publishes an unscoped package and reports it in every output', async () => {
    const run = await publish({ name: 'e2e-plain', version: '1.0.0' })
    expect(run.main.exitCode).toBe(0)
    const packument = await published('e2e-plain')
    const { integrity, shasum } = packument.versions['1.0.0'].dist
    expect(run.outputs).toMatchObject({
      published: 'true',
      id: 'e2e-plain@1.0.0',
      name: 'e2e-plain',
      version: '1.0.0',
      tag: 'latest',
      type: 'initial',
      'old-version': '',
      'tag-moved': 'false',
      'token-check': 'passed',
      'token-user': 'ci',
      'dry-run': 'false',
      'error-code': '',
      'auth-path': 'token',
      registry: registry.url,
      integrity,
      shasum
    })
    expect(packagesOutput(run)).toEqual([
      {
        name: 'e2e-plain',
        version: '1.0.0',
        published: true,
        status: 'published',
        tag: 'latest',
        type: 'initial',
        integrity,
        'tag-moved': false,
        'error-code': ''
      }
    ])
    expect(run.summary).toContain('<h2>✅ Published <code>e2e-plain@1.0.0</code></h2>')
    expect(run.summary).toContain(
      '<tr><td>Registry login (whoami)</td><td>✅ passed</td><td>logged in as ci</td></tr>'
    )
    expect(run.main.stdout).toContain('::group::npm publish e2e-plain@1.0.0')
    expect(errors(run)).toEqual([])
    expectHygiene(run)
  })

  it('publishes a scoped public package', async () => {
    const run = await publish({ name: '@acme/e2e-scoped', version: '0.1.0' }, { access: 'public' })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'true', access: 'public' })
    expect((await published('@acme/e2e-scoped'))['dist-tags']).toEqual({ latest: '0.1.0' })
    expectHygiene(run)
  })

  it('publishes a .tgz with one npm process, and a rerun from it starts no process at all', async () => {
    const sandbox = makeSandbox()
    const pkg = writePackage(path.join(sandbox.workspace, 'src'), {
      name: 'e2e-tarball',
      version: '1.2.3'
    })
    const { stdout } = await exec(
      'npm',
      ['pack', '--json', '--pack-destination', sandbox.workspace],
      {
        cwd: pkg
      }
    )
    const [{ filename, integrity }] = JSON.parse(stdout) as {
      filename: string
      integrity: string
    }[]
    const inputs = { token, registry: registry.url, package: filename }
    const firstSpawns = spawnRecorder(sandbox, 'first')
    const first = await runAction({ inputs, sandbox, env: firstSpawns.env })
    expect(first.main.exitCode).toBe(0)
    expect(first.outputs).toMatchObject({ published: 'true', integrity })
    expect(firstSpawns.npm()).toHaveLength(1) // the publish: no prewarmed spare for a .tgz
    expect(firstSpawns.spawns()).toHaveLength(1)

    const againSpawns = spawnRecorder(sandbox, 'again')
    const again = await runAction({ inputs, sandbox: { ...sandbox }, env: againSpawns.env })
    expect(again.main.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({ published: 'false', integrity, type: 'same' })
    expect(again.outputs['tag-moved']).toBe('false')
    expect(again.main.stdout).not.toContain('::group::npm')
    expect(againSpawns.spawns()).toEqual([])
    expectHygiene(first)
    expectHygiene(again)
  })

  it('publishes under tag next without touching latest', async () => {
    expect((await publish({ name: 'e2e-tags', version: '1.0.0' })).main.exitCode).toBe(0)
    const run = await publish({ name: 'e2e-tags', version: '2.0.0-beta.0' }, { tag: 'next' })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ tag: 'next', type: 'initial', published: 'true' })
    expect((await published('e2e-tags'))['dist-tags']).toEqual({
      latest: '1.0.0',
      next: '2.0.0-beta.0'
    })
  })

  it('dry-run uploads nothing and reports the integrity', async () => {
    const run = await publish({ name: 'e2e-dry', version: '1.0.0' }, { 'dry-run': 'true' })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'false', 'dry-run': 'true', id: '' })
    expect(run.outputs['integrity']).toMatch(/^sha512-/)
    expect(packagesOutput(run)[0]).toMatchObject({ status: 'dry-run', published: false })
    expect(await registry.packument('e2e-dry')).toBeUndefined()
    expect(run.summary).toContain('<h2>🧪 Dry run of <code>e2e-dry@1.0.0</code></h2>')
    expect(run.summary).toContain('Dry run: nothing was uploaded.')
    expectHygiene(run)
  })

  it('a rerun of the same version succeeds with published=false; changed content is a conflict', async () => {
    const manifest = { name: 'e2e-rerun', version: '1.0.0' }
    expect((await publish(manifest)).main.exitCode).toBe(0)
    const rerun = await publish(manifest)
    expect(rerun.main.exitCode).toBe(0)
    expect(rerun.outputs).toMatchObject({
      published: 'false',
      type: 'same',
      'error-code': '',
      'tag-moved': 'false'
    })
    expect(packagesOutput(rerun)[0]).toMatchObject({ status: 'unchanged' })
    expect(rerun.summary).toContain('<h2>⏭️ <code>e2e-rerun@1.0.0</code> is already published</h2>')
    expect(rerun.summary).toContain('already published with identical content')
    expect(rerun.main.stdout).not.toContain('::group::npm publish')
    expectHygiene(rerun)

    const changed = await publish(manifest, {}, { 'extra.js': 'changed\n' })
    const line = expectFailure(changed, 'VERSION_CONFLICT')
    expect(line).toContain('e2e-rerun@1.0.0 is already published with different content')
    expect(line).toContain('Bump the version')
    expect(changed.main.stdout).not.toContain('::group::npm publish')
    // npm publish never ran: the heading does not blame it.
    expect(changed.summary).toContain('<h2>❌ Not published: VERSION_CONFLICT</h2>')
    expect(changed.summary).toContain(
      '<p><code>e2e-rerun@1.0.0</code> is already published with different content'
    )
    expect(Object.keys((await published('e2e-rerun')).versions)).toEqual(['1.0.0'])
    expectHygiene(changed)
  })

  it('requires a tag for a version lower than latest, and respects one', async () => {
    expect((await publish({ name: 'e2e-backport', version: '3.0.0' })).main.exitCode).toBe(0)
    const implicit = await publish({ name: 'e2e-backport', version: '2.5.0' })
    const line = expectFailure(implicit, 'TAG_REQUIRED')
    expect(line).toContain('lower than the current latest (3.0.0)')
    expect(implicit.main.stdout).not.toContain('::group::npm publish')
    const tagged = await publish({ name: 'e2e-backport', version: '2.5.0' }, { tag: 'v2-latest' })
    expect(tagged.main.exitCode).toBe(0)
    expect((await published('e2e-backport'))['dist-tags']).toEqual({
      latest: '3.0.0',
      'v2-latest': '2.5.0'
    })
  })

  it('strategy upgrade skips a version that is not greater', async () => {
    expect((await publish({ name: 'e2e-upgrade', version: '2.0.0' })).main.exitCode).toBe(0)
    const run = await publish(
      { name: 'e2e-upgrade', version: '1.9.0' },
      { strategy: 'upgrade', tag: 'latest' }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'false', 'old-version': '2.0.0', type: 'lower' })
    expect(packagesOutput(run)[0]).toMatchObject({ status: 'skipped' })
    expect(run.summary).toContain(
      '<h2>⏭️ Nothing published for <code>e2e-upgrade@1.9.0</code></h2>'
    )
    expect(run.summary).toContain(
      'Skipped: strategy &quot;upgrade&quot;: 1.9.0 is not greater than latest (2.0.0).'
    )
    expect(run.summary).toContain(
      '<td><code>1.9.0</code> (lower)</td><td><code>latest</code> (was <code>2.0.0</code>)</td>'
    )
    expect(Object.keys((await published('e2e-upgrade')).versions)).toEqual(['2.0.0'])
  })

  it('publishes to a registry URL with a path (auth line keyed to the path)', async () => {
    // A prefix-stripping reverse proxy, as Artifactory / Nexus serve npm under a path.
    const seen: { method?: string; url?: string; auth: boolean }[] = []
    const proxy = http.createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, auth: Boolean(req.headers.authorization) })
      if (!req.url?.startsWith('/api/npm/local/')) {
        res.writeHead(404).end('{}')
        return
      }
      const upstream = http.request(
        new URL(req.url.slice('/api/npm/local'.length), registry.url),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      req.pipe(upstream)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = proxy.address() as AddressInfo
      const run = await publish(
        { name: 'e2e-path', version: '1.0.0' },
        { registry: `http://127.0.0.1:${port}/api/npm/local` }
      )
      expect(run.main.exitCode).toBe(0)
      expect(run.outputs).toMatchObject({
        published: 'true',
        registry: `http://127.0.0.1:${port}/api/npm/local/`,
        'token-check': 'passed'
      })
      expect(
        seen.some((r) => r.method === 'PUT' && r.url === '/api/npm/local/e2e-path' && r.auth)
      ).toBe(true)
      expect(seen.filter((r) => !r.url?.startsWith('/api/npm/local/'))).toEqual([])
      expectHygiene(run)
    } finally {
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
  })
})

describe('promotion: a published version gets its dist-tag moved (nothing uploaded)', () => {
  it('moves latest to a version published under next when tag: latest is set', async () => {
    expect((await publish({ name: 'e2e-promote', version: '1.0.0' })).main.exitCode).toBe(0)
    const next = await publish({ name: 'e2e-promote', version: '1.1.0' }, { tag: 'next' })
    expect(next.outputs).toMatchObject({ published: 'true', tag: 'next', 'tag-moved': 'false' })
    expect((await published('e2e-promote'))['dist-tags']).toEqual({
      latest: '1.0.0',
      next: '1.1.0'
    })

    const promoted = await publish({ name: 'e2e-promote', version: '1.1.0' }, { tag: 'latest' })
    expect(promoted.main.exitCode).toBe(0)
    expect(promoted.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'true',
      tag: 'latest',
      'old-version': '1.0.0',
      id: '',
      'error-code': ''
    })
    expect(packagesOutput(promoted)[0]).toMatchObject({
      status: 'tag-moved',
      published: false,
      'tag-moved': true
    })
    expect(promoted.main.stdout).not.toContain('::group::npm publish')
    expect(promoted.summary).toContain(
      '<h2>🏷️ Moved <code>latest</code> to <code>e2e-promote@1.1.0</code></h2>'
    )
    const packument = await published('e2e-promote')
    expect(packument['dist-tags']).toEqual({ latest: '1.1.0', next: '1.1.0' })
    expect(Object.keys(packument.versions).sort()).toEqual(['1.0.0', '1.1.0'])
    expectHygiene(promoted)

    // The same promotion again: nothing left to move.
    const again = await publish({ name: 'e2e-promote', version: '1.1.0' }, { tag: 'latest' })
    expect(again.main.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({ published: 'false', 'tag-moved': 'false' })
    expect(packagesOutput(again)[0]).toMatchObject({ status: 'unchanged' })
  })

  it('moves an implicit latest forward only, never back and never to a prerelease', async () => {
    const name = 'e2e-forward'
    expect((await publish({ name, version: '1.0.0' })).main.exitCode).toBe(0)
    expect((await publish({ name, version: '1.1.0' }, { tag: 'next' })).main.exitCode).toBe(0)
    expect((await publish({ name, version: '2.0.0-rc.0' }, { tag: 'beta' })).main.exitCode).toBe(0)

    // No tag input: latest (1.0.0) moves forward to 1.1.0.
    const forward = await publish({ name, version: '1.1.0' })
    expect(forward.main.exitCode).toBe(0)
    expect(forward.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'true',
      tag: 'latest'
    })
    expect((await published(name))['dist-tags']['latest']).toBe('1.1.0')

    // Not to a prerelease.
    const pre = await publish({ name, version: '2.0.0-rc.0' })
    expect(pre.main.exitCode).toBe(0)
    expect(pre.outputs).toMatchObject({ published: 'false', 'tag-moved': 'false' })
    expect(pre.summary).toContain('2.0.0-rc.0 is a prerelease')

    // Not backwards: a rerun of 1.0.0 leaves latest at 1.1.0.
    const back = await publish({ name, version: '1.0.0' })
    expect(back.main.exitCode).toBe(0)
    expect(back.outputs).toMatchObject({ published: 'false', 'tag-moved': 'false' })
    expect(back.summary).toContain('it is not moved backwards')
    expect((await published(name))['dist-tags']).toEqual({
      latest: '1.1.0',
      next: '1.1.0',
      beta: '2.0.0-rc.0'
    })
    expectHygiene(back)
  })

  it('strategy upgrade never moves a tag down, even when the tag is named', async () => {
    const name = 'e2e-nodown'
    expect((await publish({ name, version: '1.0.0' })).main.exitCode).toBe(0)
    expect((await publish({ name, version: '2.0.0' })).main.exitCode).toBe(0)
    const run = await publish({ name, version: '1.0.0' }, { tag: 'latest', strategy: 'upgrade' })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'false', 'tag-moved': 'false' })
    expect(run.summary).toContain('never moves &quot;latest&quot; down from 2.0.0 to 1.0.0')
    expect((await published(name))['dist-tags']).toEqual({ latest: '2.0.0' })

    // Without `strategy: upgrade`, a named tag is moved where it is told, down too.
    const down = await publish({ name, version: '1.0.0' }, { tag: 'latest' })
    expect(down.outputs).toMatchObject({ published: 'false', 'tag-moved': 'true' })
    expect((await published(name))['dist-tags']).toEqual({ latest: '1.0.0' })
  })

  it('a dry run or a health check says it would move the tag, and moves nothing', async () => {
    const name = 'e2e-wouldmove'
    expect((await publish({ name, version: '1.0.0' })).main.exitCode).toBe(0)
    expect((await publish({ name, version: '1.1.0' }, { tag: 'next' })).main.exitCode).toBe(0)
    const dry = await publish({ name, version: '1.1.0' }, { tag: 'latest', 'dry-run': 'true' })
    expect(dry.main.exitCode).toBe(0)
    expect(dry.outputs).toMatchObject({ published: 'false', 'tag-moved': 'false' })
    expect(dry.summary).toContain('would move &quot;latest&quot; from 1.0.0 to 1.1.0')
    expect((await published(name))['dist-tags']).toEqual({ latest: '1.0.0', next: '1.1.0' })
  })
})

describe('token validation against real Verdaccio tokens', () => {
  it('stops a garbage token before anything is uploaded', async () => {
    const garbage = 'npm_garbageGARBAGEgarbage0123456789abcd'
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'e2e-garbage', version: '1.0.0' })
    const run = await runAction({
      inputs: { token: garbage, registry: registry.url, package: 'pkg' },
      sandbox
    })
    expectFailure(run, 'TOKEN_INVALID')
    expect(run.outputs['token-check']).toBe('failed')
    // Verdaccio refuses the token list to an unknown token: a notice, whoami decides.
    expect(run.main.stdout).toMatch(
      /^::notice title=Token details unavailable::Token details: not shown to this token \(HTTP 401\)/m
    )
    expect(run.main.stdout).not.toMatch(/^::warning/m)
    expect(run.summary).toContain('<h2>❌ Token check failed: TOKEN_INVALID</h2>')
    expect(run.summary).toContain(
      '<tr><td>Registry login (whoami)</td><td>❌ failed (<code>TOKEN_INVALID</code>)</td>'
    )
    expect(run.main.stdout).not.toContain('::group::npm publish')
    expect(await registry.packument('e2e-garbage')).toBeUndefined()
    expectHygiene(run, garbage)
  })

  it('stops a read-only token (TOKEN_READONLY), nothing published', async () => {
    const readonly = (await registry.createToken(login, PASSWORD, { readonly: true })).token
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'e2e-readonly', version: '1.0.0' })
    const run = await runAction({
      inputs: { token: readonly, registry: registry.url, package: 'pkg' },
      sandbox
    })
    const line = expectFailure(run, 'TOKEN_READONLY')
    expect(line).toContain('Write access: read-only')
    expect(run.summary).toContain('<h2>❌ Token check failed: TOKEN_READONLY</h2>')
    // The failing check first.
    expect(run.summary).toContain(
      '<table><tr><th>Check</th><th>Result</th><th>Finding</th></tr><tr><td>Write access</td><td>❌ failed (<code>TOKEN_READONLY</code>)</td><td>read-only</td></tr>'
    )
    expect(await registry.packument('e2e-readonly')).toBeUndefined()
    expectHygiene(run, readonly)
  })

  it('publishes with a token limited to 127.0.0.1/32', async () => {
    const limited = (await registry.createToken(login, PASSWORD, { cidr: ['127.0.0.1/32'] })).token
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'e2e-cidr', version: '1.0.0' })
    const run = await runAction({
      inputs: { token: limited, registry: registry.url, package: 'pkg' },
      sandbox
    })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs['token-check']).toBe('passed')
    expect(run.summary).toContain(
      '<tr><td>Allowed IP ranges</td><td>✅ passed</td><td>127.0.0.1 is in 127.0.0.1/32</td></tr>'
    )
    expectHygiene(run, limited)
  })

  it('stops a deleted token before publish', async () => {
    const created = await registry.createToken(login, PASSWORD)
    await registry.deleteToken(login, created.key)
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'e2e-revoked', version: '1.0.0' })
    const run = await runAction({
      inputs: { token: created.token, registry: registry.url, package: 'pkg' },
      sandbox
    })
    expectFailure(run, 'TOKEN_INVALID')
    expect(await registry.packument('e2e-revoked')).toBeUndefined()
    expectHygiene(run, created.token)
  })

  it('validate-only checks the token and the registry, and packs, runs and uploads nothing', async () => {
    const scripts = { prepack: "node -e \"require('fs').writeFileSync('ran', '')\"" }
    const sandbox = makeSandbox()
    const dir = writePackage(path.join(sandbox.workspace, 'pkg'), {
      name: 'e2e-validate',
      version: '1.0.0',
      scripts
    })
    const spawns = spawnRecorder(sandbox)
    const good = await runAction({
      inputs: { token, registry: registry.url, package: 'pkg', 'validate-only': 'true' },
      sandbox,
      env: spawns.env
    })
    expect(good.main.exitCode).toBe(0)
    expect(good.outputs).toMatchObject({ published: 'false', 'token-check': 'passed' })
    expect(packagesOutput(good)[0]).toMatchObject({ status: 'validated' })
    expect(good.summary).toContain(
      '<h2>🩺 Health check passed for <code>e2e-validate@1.0.0</code></h2>'
    )
    expect(good.summary).toContain('Validate-only')
    expect(fs.existsSync(path.join(dir, 'ran'))).toBe(false) // no lifecycle script
    expect(spawns.spawns()).toEqual([]) // no npm: nothing packed
    expect(await registry.packument('e2e-validate')).toBeUndefined()
    expectHygiene(good)

    const readonly = (await registry.createToken(login, PASSWORD, { readonly: true })).token
    const other = makeSandbox()
    writePackage(path.join(other.workspace, 'pkg'), { name: 'e2e-validate', version: '1.0.0' })
    const bad = await runAction({
      inputs: { token: readonly, registry: registry.url, package: 'pkg', 'validate-only': 'true' },
      sandbox: other
    })
    expectFailure(bad, 'TOKEN_READONLY')
    expect(await registry.packument('e2e-validate')).toBeUndefined()
    expectHygiene(bad, readonly)
  })

  it('validate-only is fine with a version already published, whatever its content', async () => {
    expect((await publish({ name: 'e2e-healthy', version: '1.0.0' })).main.exitCode).toBe(0)
    // main moved on (different content, same version): the weekly health check stays green.
    const run = await publish(
      { name: 'e2e-healthy', version: '1.0.0' },
      { 'validate-only': 'true' },
      { 'changed.js': 'since\n' }
    )
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      published: 'false',
      'error-code': '',
      'token-check': 'passed'
    })
    expect(packagesOutput(run)[0]).toMatchObject({ status: 'validated' })
    expect(errors(run)).toEqual([])
    expectHygiene(run)
  })

  it('rejects bad inputs with their code and sends the token nowhere', async () => {
    const hits: string[] = []
    const listener = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`)
      res.writeHead(404).end('{}')
    })
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
    const watched = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/`
    try {
      const cases: [Record<string, string>, string][] = [
        [{ token: 'abc\ndef' }, 'TOKEN_MALFORMED'],
        [{ token: 'npm_tok€n0123456789' }, 'TOKEN_MALFORMED'],
        [{ registry: 'https://user:pass@127.0.0.1:9/' }, 'REGISTRY_INSECURE'],
        [{ registry: 'http://example.com/' }, 'REGISTRY_INSECURE'],
        [{ strategy: 'sometimes' }, 'INPUT_INVALID'],
        [{ package: 'no-such-dir' }, 'INPUT_INVALID'],
        [{ tag: '1.x' }, 'INPUT_INVALID']
      ]
      for (const [inputs, code] of cases) {
        const run = await publish(
          { name: 'e2e-bad-input', version: '1.0.0' },
          { registry: watched, ...inputs }
        )
        expectFailure(run, code)
        expect(run.summary).toContain(`<h2>❌ Inputs rejected: ${code}</h2>`)
        expect(run.post?.exitCode).toBe(0)
        expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
      }
      // Several bad inputs: one annotation naming them all, under the first code.
      const several = await publish(
        { name: 'e2e-bad-input', version: '1.0.0' },
        { registry: watched, strategy: 'sometimes', 'token-check': 'maybe' }
      )
      const line = expectFailure(several, 'INPUT_INVALID')
      expect(line).toContain('2 problems')
      expect(line).toContain('sometimes')
      expect(line).toContain('maybe')
      expect(hits).toEqual([])
    } finally {
      listener.closeAllConnections()
      await new Promise((resolve) => listener.close(resolve))
    }
    expect(await registry.packument('e2e-bad-input')).toBeUndefined()
  })
})

describe('the post step', () => {
  it('runs clean when main never made credentials', async () => {
    const sandbox = makeSandbox()
    const run = await runAction({ inputs: { token: '', registry: registry.url }, sandbox })
    expect(run.main.exitCode).toBe(1)
    expect(run.outputs['error-code']).toBe('TOKEN_MALFORMED') // an empty token
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.stdout).toBe('')
    expect(fs.readdirSync(sandbox.runnerTemp)).toEqual(['_runner_file_commands'])
  })
})
