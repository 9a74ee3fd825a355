/**
 * The semantic-release recipe, for real: semantic-release 25 with @semantic-release/npm
 * `{npmPublish: false}` as the release step (its own process per run, a clean environment, a local
 * bare git remote, no network), and the built action as the follow-up step of the same job,
 * publishing to Verdaccio. After every release the dist-tags on the registry must be exactly what
 * @semantic-release/npm would have set had it published itself: for each channel, the highest
 * version semantic-release recorded in that channel (its git notes), under the channel's dist-tag.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { expectClean } from './helpers/expect-run.js'
import { execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import semverMax from 'semver/ranges/max-satisfying.js'
import validRange from 'semver/ranges/valid.js'
import {
  ROOT,
  makeSandbox,
  removeSandboxes,
  runAction,
  type Sandbox
} from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'

const exec = promisify(execFile)
const RELEASE_JOB = path.join(ROOT, '__tests__', 'helpers', 'semantic-release-job.mjs')
const PASSWORD = 'ci-password-1'

/** The branches of the recipe: maintenance ranges, main, a channel branch, a prerelease branch. */
const BRANCHES = [
  '+([0-9])?(.{+([0-9]),x}).x',
  'main',
  { name: 'next', channel: 'next' },
  { name: 'beta', prerelease: true }
]

/** @semantic-release/npm's lib/get-channel.js: no channel → latest; a range → release-<range>. */
function distTag(channel: string | null | undefined): string {
  return channel ? (validRange(channel) ? `release-${channel}` : channel) : 'latest'
}

/**
 * The channel semantic-release gives a branch of BRANCHES (lib/branches/normalize.js): none for
 * the first release branch, else the configured channel, else the branch name.
 */
function branchChannel(branch: string): string | undefined {
  if (branch === 'main') return undefined
  if (branch === 'next') return 'next'
  return branch // beta (prerelease), N.x / N.N.x (maintenance)
}

let registry: Verdaccio
let token: string
const timings: { step: string; ms: number }[] = []

beforeAll(async () => {
  registry = await startVerdaccio()
  const login = await registry.createUser('ci', PASSWORD)
  token = (await registry.createToken(login, PASSWORD)).token
})

afterAll(async () => {
  await registry?.stop()
  removeSandboxes()
  // How long a semantic-release run takes here (the report quotes it).
  if (timings.length)
    process.stderr.write(
      `semantic-release runs: ${timings.map((t) => `${t.step} ${Math.round(t.ms)} ms`).join(', ')}\n`
    )
})

/** A git repository: a bare remote and a developer's clone that commits and pushes. */
class Repo {
  readonly box: Sandbox = makeSandbox('nap-semrel-')
  readonly remote = path.join(this.box.root, 'remote.git')
  readonly dev = path.join(this.box.root, 'dev')
  /** No host or user git config, a fixed identity. */
  readonly gitEnv: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: this.box.home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.invalid',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.invalid'
  }

  constructor(readonly name: string) {}

  async git(cwd: string, ...args: string[]): Promise<string> {
    const { stdout } = await exec('git', args, { cwd, env: this.gitEnv })
    return stdout.trim()
  }

  /** The remote, a clone, package.json (0.0.0-development, as semantic-release projects keep it), the config. */
  async init(publishRegistry: string): Promise<void> {
    await this.git(this.box.root, 'init', '-q', '--bare', '--initial-branch=main', this.remote)
    await this.git(this.box.root, 'clone', '-q', this.remote, this.dev)
    await this.git(this.dev, 'checkout', '-q', '-b', 'main')
    const manifest = {
      name: this.name,
      version: '0.0.0-development',
      license: 'MIT',
      files: ['index.js'],
      publishConfig: { registry: publishRegistry }
    }
    fs.writeFileSync(path.join(this.dev, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    fs.writeFileSync(path.join(this.dev, 'index.js'), 'module.exports = 1\n')
    const config = {
      // A URL: release-notes-generator parses it (a plain path fails after verifyConditions).
      repositoryUrl: `file://${this.remote}`,
      branches: BRANCHES,
      plugins: [
        '@semantic-release/commit-analyzer',
        '@semantic-release/release-notes-generator',
        ['@semantic-release/npm', { npmPublish: false }]
      ]
    }
    fs.writeFileSync(path.join(this.dev, '.releaserc.json'), JSON.stringify(config, null, 2))
    await this.git(this.dev, 'add', '.')
    await this.git(this.dev, 'commit', '-q', '-m', 'chore: init')
    await this.git(this.dev, 'push', '-q', '-u', 'origin', 'main')
  }

  async commit(message: string): Promise<void> {
    fs.appendFileSync(path.join(this.dev, 'changes.txt'), `${message}\n`)
    await this.git(this.dev, 'add', 'changes.txt')
    await this.git(this.dev, 'commit', '-q', '-m', message)
  }

  /** Every release tag on the remote and the channels semantic-release recorded for it. */
  async channels(): Promise<Map<string, (string | null)[]>> {
    const tags = (await this.git(this.box.root, '--git-dir', this.remote, 'tag', '-l', 'v*'))
      .split('\n')
      .filter(Boolean)
    const result = new Map<string, (string | null)[]>()
    for (const tag of tags) {
      let channels: (string | null)[] = [null] // a tag without a note is on the default channel
      try {
        const note = await this.git(
          this.box.root,
          '--git-dir',
          this.remote,
          'notes',
          `--ref=semantic-release-${tag}`,
          'show',
          tag
        )
        channels = (JSON.parse(note) as { channels: (string | null)[] }).channels
      } catch {
        // no note
      }
      result.set(tag.slice(1), channels)
    }
    return result
  }

  /**
   * What @semantic-release/npm would have left on the registry: each channel's dist-tag points at
   * the highest version semantic-release put in that channel (publish or addChannel).
   */
  async expectedDistTags(): Promise<Record<string, string>> {
    const byTag = new Map<string, string[]>()
    for (const [version, channels] of await this.channels()) {
      for (const channel of channels) {
        const tag = distTag(channel)
        byTag.set(tag, [...(byTag.get(tag) ?? []), version])
      }
    }
    return Object.fromEntries(
      [...byTag].map(([tag, versions]) => [
        tag,
        semverMax(versions, '*', { includePrerelease: true }) as string
      ])
    )
  }
}

type ReleaseOutputs = {
  new_release_published: string
  new_release_version?: string
  new_release_channel?: string
  new_release_git_tag?: string
  last_release_version?: string
  error?: string
}

/** One CI job on `branch`: a fresh runner sandbox with the branch checked out (full history). */
async function checkout(repo: Repo, branch: string): Promise<Sandbox> {
  const job = makeSandbox('nap-semrel-job-')
  await repo.git(job.root, 'clone', '-q', '--branch', branch, repo.remote, job.workspace)
  return job
}

/**
 * The release step: semantic-release in the job's checkout, its own process, a clean environment
 * (no GITHUB_* variables: env-ci's git fallback takes the branch from HEAD), CI=true.
 */
async function releaseStep(repo: Repo, job: Sandbox, step: string): Promise<ReleaseOutputs> {
  const tmp = path.join(job.root, 'tmp')
  fs.mkdirSync(tmp, { recursive: true })
  const env = {
    ...repo.gitEnv,
    HOME: job.home,
    TMPDIR: tmp, // @semantic-release/npm's temporary .npmrc lands here, inside the sandbox
    CI: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false'
  }
  const started = performance.now()
  const { code, stdout, stderr } = await new Promise<{
    code: number | null
    stdout: string
    stderr: string
  }>((resolve, reject) => {
    const child = spawn(process.execPath, [RELEASE_JOB], { cwd: job.workspace, env })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }))
  })
  timings.push({ step, ms: performance.now() - started })
  const last = stdout.trim().split('\n').pop() ?? '{}'
  const outputs = JSON.parse(last) as ReleaseOutputs
  if (code !== 0) throw new Error(`semantic-release (${step}) failed: ${outputs.error}\n${stderr}`)
  // npmPublish: false → @semantic-release/npm never touched the registry.
  expect(stderr).not.toMatch(/Publishing version|Adding version .* to npm registry/)
  return outputs
}

/**
 * The follow-up that always runs on the release branches: the version of the checked-out release
 * (the highest release tag on the branch, prereleases sorted before their release), written to
 * package.json, and the branch's dist-tag.
 */
async function releaseOfCheckout(
  repo: Repo,
  job: Sandbox,
  branch: string
): Promise<{ version: string; tag: string }> {
  const newest = await repo.git(
    job.workspace,
    '-c',
    'versionsort.suffix=-',
    'tag',
    '--merged',
    'HEAD',
    '--sort=-version:refname',
    '--list',
    'v*'
  )
  const version = newest.split('\n')[0].replace(/^v/, '')
  await exec('npm', ['pkg', 'set', `version=${version}`], {
    cwd: job.workspace,
    env: { ...repo.gitEnv, HOME: job.home, npm_config_update_notifier: 'false' }
  })
  return { version, tag: distTag(branchChannel(branch)) }
}

type Run = Awaited<ReturnType<typeof runAction>>

/** The action as the follow-up step, in the same job (the working tree semantic-release left). */
function followUp(job: Sandbox, tag: string, env: Record<string, string> = {}): Promise<Run> {
  return runAction({ inputs: { token, package: '.', tag }, sandbox: job, env })
}

function packageVersion(job: Sandbox): string {
  const text = fs.readFileSync(path.join(job.workspace, 'package.json'), 'utf8')
  return (JSON.parse(text) as { version: string }).version
}

async function distTags(name: string): Promise<Record<string, string> | undefined> {
  return (await registry.packument(name))?.['dist-tags']
}

describe('semantic-release 25 (npmPublish: false) with the action as its follow-up step', () => {
  const repo = new Repo('sr-e2e-pkg')

  beforeAll(async () => {
    await repo.init(registry.url)
  })

  /** Release job on `branch`, then the follow-up gated on a new release, tag from its channel. */
  async function releaseAndPublish(branch: string, step: string) {
    const job = await checkout(repo, branch)
    const release = await releaseStep(repo, job, step)
    expect(release.new_release_published).toBe('true')
    const version = release.new_release_version as string
    // prepare wrote the version into the job's package.json (no commit is pushed).
    expect(packageVersion(job)).toBe(version)
    const tag = distTag(release.new_release_channel)
    // The always-run follow-up would publish the same thing.
    expect(await releaseOfCheckout(repo, job, branch)).toEqual({ version, tag })
    const run = await followUp(job, tag)
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      published: 'true',
      version,
      tag,
      'tag-moved': 'false',
      'error-code': ''
    })
    expectClean(run, token)
    expect(await distTags(repo.name)).toEqual(await repo.expectedDistTags())
    return { release, run, version, tag }
  }

  it('publishes a release on main under latest', async () => {
    await repo.commit('feat: first feature')
    await repo.git(repo.dev, 'push', '-q')
    const { release } = await releaseAndPublish('main', 'main 1.0.0')
    expect(release).toMatchObject({ new_release_version: '1.0.0', new_release_channel: '' })
    expect(await distTags(repo.name)).toEqual({ latest: '1.0.0' })
  }, 120_000)

  it('publishes a release on next under next and leaves latest alone', async () => {
    await repo.git(repo.dev, 'checkout', '-q', '-b', 'next')
    await repo.commit('feat: feature on next')
    await repo.git(repo.dev, 'push', '-q', '-u', 'origin', 'next')
    const { release, run } = await releaseAndPublish('next', 'next 1.1.0')
    expect(release).toMatchObject({ new_release_version: '1.1.0', new_release_channel: 'next' })
    expect(run.outputs['old-version']).toBe('')
    expect(await distTags(repo.name)).toEqual({ latest: '1.0.0', next: '1.1.0' })
  }, 120_000)

  it('publishes a prerelease on beta under beta, with no TAG_REQUIRED', async () => {
    await repo.git(repo.dev, 'checkout', '-q', '-b', 'beta', 'main')
    await repo.commit('feat: breaking feature on beta\n\nBREAKING CHANGE: the API changed')
    await repo.git(repo.dev, 'push', '-q', '-u', 'origin', 'beta')
    const { release, run } = await releaseAndPublish('beta', 'beta 2.0.0-beta.1')
    expect(release).toMatchObject({
      new_release_version: '2.0.0-beta.1',
      new_release_channel: 'beta'
    })
    expect(run.outputs['type']).toBe('initial')
    expect(await distTags(repo.name)).toEqual({
      latest: '1.0.0',
      next: '1.1.0',
      beta: '2.0.0-beta.1'
    })
  }, 120_000)

  it('moves latest when next is merged into main: semantic-release only adds the channel, the always-run follow-up promotes', async () => {
    await repo.git(repo.dev, 'checkout', '-q', 'main')
    await repo.git(repo.dev, 'merge', '-q', '--no-ff', '-m', "Merge branch 'next'", 'next')
    await repo.git(repo.dev, 'push', '-q')
    const job = await checkout(repo, 'main')
    const release = await releaseStep(repo, job, 'main merge next')
    // addChannel only: no new release, so a follow-up gated on one never runs.
    expect(release.new_release_published).toBe('false')
    expect(release.new_release_version).toBeUndefined()
    expect((await repo.channels()).get('1.1.0')).toEqual(['next', null])
    const { version, tag } = await releaseOfCheckout(repo, job, 'main')
    expect({ version, tag }).toEqual({ version: '1.1.0', tag: 'latest' })
    const run = await followUp(job, tag)
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      published: 'false',
      'tag-moved': 'true',
      version: '1.1.0',
      tag: 'latest',
      'old-version': '1.0.0',
      'error-code': ''
    })
    expectClean(run, token)
    expect(await distTags(repo.name)).toEqual(await repo.expectedDistTags())
    expect(await distTags(repo.name)).toEqual({
      latest: '1.1.0',
      next: '1.1.0',
      beta: '2.0.0-beta.1'
    })
  }, 120_000)

  it('publishes a fix on the maintenance branch 1.0.x under release-1.0.x', async () => {
    await repo.git(repo.dev, 'fetch', '-q', '--tags')
    await repo.git(repo.dev, 'checkout', '-q', '-b', '1.0.x', 'v1.0.0')
    await repo.commit('fix: patch on 1.0.x')
    await repo.git(repo.dev, 'push', '-q', '-u', 'origin', '1.0.x')
    const { release } = await releaseAndPublish('1.0.x', '1.0.x 1.0.1')
    expect(release).toMatchObject({ new_release_version: '1.0.1', new_release_channel: '1.0.x' })
    // semantic-release also put 1.0.0 on the channel (addChannel): the range's tag ends at 1.0.1.
    expect((await repo.channels()).get('1.0.0')).toEqual([null, '1.0.x'])
    expect(await distTags(repo.name)).toEqual({
      latest: '1.1.0',
      next: '1.1.0',
      beta: '2.0.0-beta.1',
      'release-1.0.x': '1.0.1'
    })
  }, 120_000)
})

describe('a publish that failed after semantic-release pushed the tag', () => {
  const repo = new Repo('sr-e2e-recover')
  /** The registry as the runner reaches it: a loopback front that can be "down" (503). */
  let front: http.Server
  let down = false

  beforeAll(async () => {
    front = http.createServer((req, res) => {
      if (down) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable')
        req.resume()
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
    await repo.init(`http://127.0.0.1:${(front.address() as AddressInfo).port}/`)
  })

  afterAll(async () => {
    front.closeAllConnections()
    await new Promise((resolve) => front.close(resolve))
  })

  it('is published by a rerun of the follow-up', async () => {
    await repo.commit('feat: first feature')
    await repo.git(repo.dev, 'push', '-q')
    const job = await checkout(repo, 'main')
    const release = await releaseStep(repo, job, 'main 1.0.0 (registry down)')
    expect(release).toMatchObject({ new_release_published: 'true', new_release_version: '1.0.0' })
    down = true
    const failed = await followUp(job, distTag(release.new_release_channel), {
      NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '1000'
    })
    down = false
    expect(failed.main.exitCode).toBe(1)
    expect(failed.outputs).toMatchObject({
      published: 'false',
      'error-code': 'REGISTRY_UNREACHABLE'
    })
    expectClean(failed, token)
    // The git tag is out, the package is not.
    expect(await repo.channels()).toEqual(new Map([['1.0.0', [null]]]))
    expect(await registry.packument(repo.name)).toBeUndefined()

    // "Re-run failed jobs": a fresh checkout; semantic-release finds nothing new to release.
    const rerun = await checkout(repo, 'main')
    const again = await releaseStep(repo, rerun, 'main rerun')
    expect(again.new_release_published).toBe('false')
    expect(packageVersion(rerun)).toBe('0.0.0-development')
    const { version, tag } = await releaseOfCheckout(repo, rerun, 'main')
    expect({ version, tag }).toEqual({ version: '1.0.0', tag: 'latest' })
    const recovered = await followUp(rerun, tag)
    expect(recovered.main.exitCode).toBe(0)
    expect(recovered.outputs).toMatchObject({ published: 'true', id: 'sr-e2e-recover@1.0.0' })
    expectClean(recovered, token)
    expect(await distTags(repo.name)).toEqual(await repo.expectedDistTags())
    expect(await distTags(repo.name)).toEqual({ latest: '1.0.0' })

    // And once more: the always-run follow-up is idempotent.
    const idle = await followUp(rerun, tag)
    expect(idle.main.exitCode).toBe(0)
    expect(idle.outputs).toMatchObject({ published: 'false', 'tag-moved': 'false' })
  }, 180_000)
})
