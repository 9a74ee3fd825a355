/**
 * End to end through dist/index.js, run as the GitHub runner runs it (main, then post), against a
 * real Verdaccio registry on loopback with real users and tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { promisify } from 'node:util'
import { makeSandbox, runAction, writePackage } from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'

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
})

type Run = Awaited<ReturnType<typeof runAction>>

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
  files: Record<string, string> = {}
): Promise<Run> {
  const sandbox = makeSandbox()
  writePackage(path.join(sandbox.workspace, 'pkg'), manifest, files)
  return runAction({
    inputs: { token, registry: registry.url, package: 'pkg', ...inputs },
    sandbox
  })
}

/** What every run must satisfy: post ran clean, nothing left, the token nowhere. */
function expectHygiene(run: Run, secret = token): void {
  expect(run.post?.exitCode).toBe(0)
  expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
  expect(findLeaks(secret, runSources(run))).toEqual([])
}

function expectFailure(run: Run, code: string): void {
  expect(run.main.exitCode).toBe(1)
  expect(run.outputs['error-code']).toBe(code)
  expect(run.outputs['published']).toBe('false')
  expect(run.main.stdout).toMatch(new RegExp(`^::error::\\[${code}\\] `, 'm'))
}

describe('publishing through the built action', () => {
  it('publishes an unscoped package and reports it', async () => {
    const run = await publish({ name: 'e2e-plain', version: '1.0.0' })
    expect(run.main.exitCode).toBe(0)
    const packument = await published('e2e-plain')
    expect(run.outputs).toMatchObject({
      published: 'true',
      id: 'e2e-plain@1.0.0',
      name: 'e2e-plain',
      version: '1.0.0',
      tag: 'latest',
      type: 'initial',
      'token-check': 'passed',
      'token-user': 'ci',
      'dry-run': 'false',
      'error-code': '',
      integrity: packument.versions['1.0.0'].dist.integrity,
      shasum: packument.versions['1.0.0'].dist.shasum
    })
    expect(run.summary).toContain('## ✅ Published `e2e-plain@1.0.0`')
    expect(run.summary).toContain('| Token accepted (whoami) | ✅ pass | user ci |')
    expect(run.main.stdout).toContain('::group::npm publish')
    expectHygiene(run)
  })

  it('publishes a scoped public package', async () => {
    const run = await publish({ name: '@acme/e2e-scoped', version: '0.1.0' }, { access: 'public' })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ published: 'true', access: 'public' })
    expect((await published('@acme/e2e-scoped'))['dist-tags']).toEqual({ latest: '0.1.0' })
    expectHygiene(run)
  })

  it('publishes a .tgz, and a rerun from it is a no-op without npm', async () => {
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
    const first = await runAction({ inputs, sandbox })
    expect(first.main.exitCode).toBe(0)
    expect(first.outputs).toMatchObject({ published: 'true', integrity })
    const again = await runAction({ inputs, sandbox: { ...sandbox } })
    expect(again.main.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({ published: 'false', integrity, type: 'same' })
    expect(again.main.stdout).not.toContain('::group::npm')
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
    expect(await registry.packument('e2e-dry')).toBeUndefined()
    expect(run.summary).toContain('Dry run')
    expectHygiene(run)
  })

  it('a rerun of the same version succeeds with published=false; changed content is a conflict', async () => {
    const manifest = { name: 'e2e-rerun', version: '1.0.0' }
    expect((await publish(manifest)).main.exitCode).toBe(0)
    const rerun = await publish(manifest)
    expect(rerun.main.exitCode).toBe(0)
    expect(rerun.outputs).toMatchObject({ published: 'false', type: 'same', 'error-code': '' })
    expect(rerun.summary).toContain('already published with identical content')
    expectHygiene(rerun)

    const changed = await publish(manifest, {}, { 'extra.js': 'changed\n' })
    expectFailure(changed, 'VERSION_CONFLICT')
    expect(changed.main.stdout).toContain('bump the version')
    expect(changed.summary).toContain('## ❌ npm publish failed: VERSION_CONFLICT')
    expect(changed.summary).toContain(
      '> [VERSION_CONFLICT] e2e-rerun@1.0.0 is already published with different content'
    )
    expect(Object.keys((await published('e2e-rerun')).versions)).toEqual(['1.0.0'])
    expectHygiene(changed)
  })

  it('requires a tag for a version lower than latest, and respects one', async () => {
    expect((await publish({ name: 'e2e-backport', version: '3.0.0' })).main.exitCode).toBe(0)
    const implicit = await publish({ name: 'e2e-backport', version: '2.5.0' })
    expectFailure(implicit, 'TAG_REQUIRED')
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
    expect(run.summary).toContain('## ⏭️ Nothing published for `e2e-upgrade@1.9.0`')
    expect(run.summary).toContain(
      'Skipped: strategy "upgrade": 1.9.0 is not greater than latest (2.0.0).'
    )
    expect(run.summary).toContain('| Version | 2.0.0 → 1.9.0 (lower) |')
    expect(Object.keys((await published('e2e-upgrade')).versions)).toEqual(['2.0.0'])
  })

  it('publishes to a registry URL with a path (auth line keyed to the path)', async () => {
    // A prefix-stripping reverse proxy, as Artifactory / Nexus serve npm under a path.
    const seen: { url?: string; auth: boolean }[] = []
    const proxy = http.createServer((req, res) => {
      seen.push({ url: req.url, auth: Boolean(req.headers.authorization) })
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
      const { port } = proxy.address() as { port: number }
      const run = await publish(
        { name: 'e2e-path', version: '1.0.0' },
        { registry: `http://127.0.0.1:${port}/api/npm/local` }
      )
      expect(run.main.exitCode).toBe(0)
      expect(run.outputs).toMatchObject({
        published: 'true',
        registry: `http://127.0.0.1:${port}/api/npm/local/`
      })
      expect(seen.some((r) => r.url === '/api/npm/local/e2e-path' && r.auth)).toBe(true)
      expect(seen.filter((r) => !r.url?.startsWith('/api/npm/local/'))).toEqual([])
      expectHygiene(run)
    } finally {
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
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
    // Verdaccio refuses the token list to an unknown token: a warning, whoami decides.
    expect(run.main.stdout).toMatch(
      /^::warning::Token check: Token details \(token list\): details unavailable/m
    )
    expect(run.summary).toContain('| Token accepted (whoami) | ❌ fail (TOKEN_INVALID) |')
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
    expectFailure(run, 'TOKEN_READONLY')
    expect(run.summary).toContain(
      '| Can write | ❌ fail (TOKEN_READONLY) | the token is read-only |'
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
    expect(run.summary).toContain('127.0.0.1 is in 127.0.0.1/32')
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

  it('validate-only checks everything and uploads nothing', async () => {
    const good = await publish(
      { name: 'e2e-validate', version: '1.0.0' },
      { 'validate-only': 'true' }
    )
    expect(good.main.exitCode).toBe(0)
    expect(good.outputs).toMatchObject({ published: 'false', 'token-check': 'passed' })
    expect(good.summary).toContain('validate-only')
    const readonly = (await registry.createToken(login, PASSWORD, { readonly: true })).token
    const sandbox = makeSandbox()
    writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'e2e-validate', version: '1.0.0' })
    const bad = await runAction({
      inputs: { token: readonly, registry: registry.url, package: 'pkg', 'validate-only': 'true' },
      sandbox
    })
    expectFailure(bad, 'TOKEN_READONLY')
    expect(await registry.packument('e2e-validate')).toBeUndefined()
  })

  it('rejects bad inputs with their code and sends the token nowhere', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ token: 'abc\ndef' }, 'TOKEN_MALFORMED'],
      [{ registry: 'https://user:pass@127.0.0.1:9/' }, 'REGISTRY_INSECURE'],
      [{ registry: 'http://example.com/' }, 'REGISTRY_INSECURE'],
      [{ strategy: 'sometimes' }, 'INPUT_INVALID'],
      [{ package: 'no-such-dir' }, 'INPUT_INVALID']
    ]
    for (const [inputs, code] of cases) {
      const run = await publish({ name: 'e2e-bad-input', version: '1.0.0' }, inputs)
      expectFailure(run, code)
      expect(run.post?.exitCode).toBe(0)
    }
    expect(await registry.packument('e2e-bad-input')).toBeUndefined()
  })
})

describe('the post step', () => {
  it('runs clean when main never made credentials', async () => {
    const sandbox = makeSandbox()
    const run = await runAction({ inputs: { token: '' }, sandbox })
    expect(run.main.exitCode).toBe(1)
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.stdout).toBe('')
    expect(fs.readdirSync(sandbox.runnerTemp)).toEqual(['_runner_file_commands'])
  })
})
