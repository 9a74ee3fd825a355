import * as core from '@actions/core'
import validVersion from 'semver/functions/valid.js'
import lowerThan from 'semver/functions/lt.js'
import { throwIfCancelled } from './cancel.js'
import { scopeOf, type PrivateDir } from './credentials.js'
import { PublishError, combine, errorMessage, isPublishError } from './errors.js'
import { githubRepository, readDirectoryManifest } from './manifest.js'
import { fingerprint, type NpmInstall } from './npm-install.js'
import { npmPack, npmRunScript, npmVersion } from './npm.js'
import { discardSpare, prewarm } from './npm-worker.js'
import { idTokenAvailable } from './oidc.js'
import { isSettled, type RunOutcome, type Stage } from './outcome.js'
import { planPublish, releaseType } from './plan.js'
import type { Preflight } from './preflight.js'
import {
  effectiveProvenance,
  idOf,
  settlePublished,
  upload,
  uploadBatch,
  type Context,
  type Job
} from './publish-one.js'
import { npmTar, readTarball, replaceManifest } from './tarball.js'
import type { Target } from './target.js'
import { applyRewrites, rewritesFor } from './workspace.js'

/** Lifecycle scripts in npm's order, split around the time npm holds the token. */
const SCRIPTS_BEFORE_PUBLISH = ['prepublishOnly', 'prepack', 'prepare']
const SCRIPTS_BEFORE_PACK = ['prepack', 'prepare']
const SCRIPTS_AFTER = ['postpack', 'publish', 'postpublish']

/** Independent packages are published side by side, a few at a time. */
export const PUBLISH_CONCURRENCY = 3

/** A failure with the stage it happened in (for the summary's heading). */
export class StageError extends Error {
  constructor(
    readonly stage: Stage,
    readonly error: PublishError
  ) {
    super(error.message)
  }
}

export interface PublishInput {
  target: Target
  preflight: Preflight
  run: RunOutcome
  install: NpmInstall
  /** The private dir: already open for a .tgz; opened here, after the scripts, for directories. */
  openDir: () => PrivateDir
  ctx: Omit<Context, 'dir'>
}

/**
 * Plan per package → lifecycle scripts (no credential anywhere) → pack what needs packing → publish
 * in dependency order (independent packages side by side) → scripts after the upload. In a
 * workspace a failed package holds back its dependents and the others go on; a single package's
 * failure ends the run.
 */
export async function publishAll(input: PublishInput): Promise<void> {
  const { target, preflight, run, ctx } = input
  const jobs: Job[] = target.packages.map((t, i) => ({
    target: t,
    outcome: run.packages[i],
    packument: preflight.packuments.get(t.manifest.name)
  }))
  const fail = (job: Job, stage: Stage, error: unknown): void => {
    const publishError = isPublishError(error)
      ? error
      : new PublishError('PUBLISH_FAILED', `Unexpected error: ${errorMessage(error)}`)
    Object.assign(job.outcome, {
      status: 'failed',
      error: publishError,
      reason: publishError.message
    })
    if (!ctx.workspace) throw new StageError(stage, publishError)
  }

  await planAll(jobs, ctx, fail)
  if (ctx.options.validateOnly) return finishValidation(jobs)

  const active = (): Job[] =>
    jobs.filter(
      (j) =>
        j.plan &&
        (j.plan.action === 'publish' || j.plan.action === 'compare') &&
        j.outcome.status === 'pending'
    )
  await runScriptsBefore(active(), input, fail)

  const dir = input.openDir()
  try {
    dir.configure(
      ctx.registry,
      jobs.map((j) => scopeOf(j.target.manifest.name)).filter((s): s is string => !!s)
    )
    const context: Context = { ...ctx, dir }
    await packAll(active(), context, input.install, fail)
    await publishInOrder(jobs, context, fail)
  } finally {
    dir.close()
  }

  // The credentials are gone: the scripts that follow a real upload.
  const published = jobs.filter((j) => j.outcome.status === 'published')
  if (scriptsEnabled(ctx)) {
    for (const job of published) {
      try {
        await runScripts(job, SCRIPTS_AFTER)
      } catch (error) {
        fail(job, 'scripts', error)
      }
    }
  }
  const failed = jobs.filter((j) => j.outcome.error)
  if (failed.length) {
    const errors = failed.map((j) => j.outcome.error as PublishError)
    throw new StageError('publish', errors.length === 1 ? errors[0] : combine(errors))
  }
}

async function planAll(
  jobs: Job[],
  ctx: Omit<Context, 'dir'>,
  fail: (job: Job, stage: Stage, error: unknown) => void
): Promise<void> {
  const { options } = ctx
  if (options.stage && !options.validateOnly) {
    try {
      await checkStageNpm()
    } catch (error) {
      for (const job of jobs) fail(job, 'plan', error)
      return
    }
  }
  for (const job of jobs) {
    const { manifest } = job.target
    try {
      job.outcome.access = options.access ?? manifest.publishConfig.access ?? ''
      if (effectiveProvenance(options, job.target) === true)
        checkProvenance(job, job.outcome.access)
      if (!job.packument && manifest.newNameProblems.length) {
        throw new PublishError(
          'PACKAGE_INVALID',
          `${manifest.name} is new to the registry, and npm no longer accepts such a name for a new package (${manifest.newNameProblems.join('; ')})`,
          "Choose a name that follows npm's rules for new packages: lower case, no core module names, at most 214 characters."
        )
      }
      if (options.stage && !job.packument) {
        throw new PublishError(
          'INPUT_INVALID',
          `stage: true, but ${manifest.name} does not exist on the registry yet and a first version cannot be staged`,
          'Publish the first version directly (`stage: false`), then stage the next ones.'
        )
      }
      const plan = planPublish({
        name: manifest.name,
        version: manifest.version,
        tag: options.tag ?? manifest.publishConfig.tag,
        strategy: options.strategy,
        packument: job.packument,
        healthCheck: options.validateOnly
      })
      job.plan = plan
      job.outcome.tag = plan.tag
      job.outcome.oldVersion = plan.oldVersion ?? ''
      if (plan.action === 'publish' || plan.action === 'skip') job.outcome.type = plan.type
      if (plan.action === 'skip')
        Object.assign(job.outcome, { status: 'skipped', reason: `Skipped: ${plan.reason}.` })
      if (plan.action === 'present')
        Object.assign(job.outcome, {
          status: 'validated',
          type: releaseType(plan.oldVersion, manifest.version),
          reason: `${plan.reason}.`
        })
    } catch (error) {
      // A health check is about the token and the registry: the next release's content problems are warnings.
      if (
        options.validateOnly &&
        isPublishError(error) &&
        ['TAG_REQUIRED', 'PACKAGE_INVALID'].includes(error.code)
      ) {
        core.warning(
          `The next publish of ${manifest.name}@${manifest.version} would fail: ${error.sentence}`,
          { title: error.code }
        )
        Object.assign(job.outcome, {
          status: 'validated',
          reason: `Token and registry fine; the next publish would fail: ${error.message}.`
        })
        continue
      }
      fail(job, 'plan', error)
    }
  }
}

/** validate-only: what would happen, nothing packed, no script run, nothing sent. */
function finishValidation(jobs: Job[]): void {
  for (const job of jobs) {
    if (job.plan?.action !== 'publish' || job.outcome.status !== 'pending') continue
    Object.assign(job.outcome, {
      status: 'validated',
      reason: `${idOf(job)} would be published under "${job.plan.tag}" (validate-only, nothing uploaded).`
    })
  }
  const failed = jobs.filter((j) => j.outcome.error)
  if (failed.length)
    throw new StageError('plan', combine(failed.map((j) => j.outcome.error as PublishError)))
}

function scriptsEnabled(ctx: Omit<Context, 'dir'>): boolean {
  return !ctx.options.ignoreScripts && ctx.options.packageKind === 'directory'
}

/**
 * The scripts npm runs before it packs, each its own `npm run` with no credential in reach, in
 * dependency order; then each package.json is read again and checked again (a script may rewrite
 * it), and npm's own files are checked unchanged (a script could have rewritten npm itself).
 */
async function runScriptsBefore(
  jobs: Job[],
  input: PublishInput,
  fail: (job: Job, stage: Stage, error: unknown) => void
): Promise<void> {
  const { ctx, target } = input
  if (!scriptsEnabled(ctx)) return
  const pending = jobs.filter((j) =>
    scriptsFor(j).some((name) => j.target.manifest.scripts[name] !== undefined)
  )
  if (pending.length === 0) return
  // An npm loaded before package code ran is never handed a token afterwards.
  discardSpare()
  const before = fingerprint(input.install)
  for (const job of pending) {
    try {
      await runScripts(job, scriptsFor(job))
      const now = readDirectoryManifest(job.target.dir as string)
      const was = job.target.manifest
      if (now.name !== was.name || now.version !== was.version) {
        throw new PublishError(
          'PACKAGE_INVALID',
          `A lifecycle script changed package.json from ${was.name}@${was.version} to ${now.name}@${now.version}`,
          'Set the version before this step (the checks ran against the old one), or set `ignore-scripts: true`.'
        )
      }
      job.target.manifest = now
      const member = target.workspace?.members.find((m) => m.dir === job.target.dir)
      if (member && target.workspace) {
        const privates = new Set(
          target.workspace.members.filter((m) => m.manifest.private).map((m) => m.manifest.name)
        )
        job.target.rewrites = rewritesFor({ ...member, manifest: now }, target.workspace, privates)
      }
    } catch (error) {
      fail(job, 'scripts', error)
    }
  }
  if (fingerprint(input.install) !== before) {
    const error = new PublishError(
      'RUNNER_INVALID',
      `A lifecycle script changed npm's own files (${input.install.root}) or the node binary; npm is not trusted with the token now`,
      'Set `ignore-scripts: true` and build in an earlier step (or a job without the token).'
    )
    for (const job of jobs) if (!job.outcome.error) fail(job, 'scripts', error)
  }
}

function scriptsFor(job: Job): string[] {
  return job.plan?.action === 'publish' ? SCRIPTS_BEFORE_PUBLISH : SCRIPTS_BEFORE_PACK
}

async function runScripts(job: Job, names: string[]): Promise<void> {
  for (const name of names) {
    if (job.target.manifest.scripts[name] === undefined) continue
    throwIfCancelled(`before the "${name}" script of ${job.target.manifest.name}`)
    core.startGroup(`npm run ${name} (${job.target.where})`)
    try {
      const killed = await npmRunScript(job.target.dir as string, name)
      if (killed?.pids.length) {
        core.info(`Stopped ${killed.pids.length} process(es) the "${name}" script left running.`)
      }
    } finally {
      core.endGroup()
    }
  }
}

/**
 * The tarballs the run needs before the upload: a package with rewritten `workspace:` ranges is
 * packed for real and its manifest replaced (then published as that tarball); a rerun's content
 * is learnt with `npm pack --dry-run` (one npm process for all of them).
 */
async function packAll(
  jobs: Job[],
  ctx: Context,
  install: NpmInstall,
  fail: (job: Job, stage: Stage, error: unknown) => void
): Promise<void> {
  for (const job of jobs) {
    if (job.target.kind === 'tarball') {
      job.file = job.target.file
      job.digest = job.target.digest
    }
  }
  const directories = jobs.filter((j) => j.target.kind === 'directory')
  const rewritten = directories.filter((j) => j.target.rewrites.length > 0)
  const compared = directories.filter(
    (j) => j.target.rewrites.length === 0 && j.plan?.action === 'compare'
  )
  await packBatch(rewritten, ctx, false, fail, async (job, packed) => {
    const tar = npmTar(install)
    const text = `${JSON.stringify(applyRewrites(job.target.manifest.raw, job.target.rewrites), null, 2)}\n`
    const file = (packed.file as string).replace(/\.tgz$/, '-published.tgz')
    await replaceManifest(packed.file as string, file, text, tar)
    const read = await readTarball(file, tar)
    job.file = file
    job.digest = { integrity: read.integrity, shasum: read.shasum }
    for (const r of job.target.rewrites)
      core.info(
        `${job.target.manifest.name}: ${r.field}.${r.name} "${r.from}" is published as "${r.to}".`
      )
  })
  await packBatch(compared, ctx, true, fail, (job, packed) => {
    job.digest = { integrity: packed.integrity, shasum: packed.shasum }
    return Promise.resolve()
  })
}

async function packBatch(
  jobs: Job[],
  ctx: Context,
  dryRun: boolean,
  fail: (job: Job, stage: Stage, error: unknown) => void,
  use: (job: Job, packed: Awaited<ReturnType<typeof npmPack>>[number]) => Promise<void>
): Promise<void> {
  if (jobs.length === 0) return
  let packed: Awaited<ReturnType<typeof npmPack>> | undefined
  try {
    packed = await npmPack(
      jobs.map((j) => j.target.dir as string),
      ctx.dir,
      dryRun
    )
  } catch (error) {
    if (jobs.length === 1) return fail(jobs[0], 'publish', error)
  }
  for (const [index, job] of jobs.entries()) {
    try {
      // A batch that failed is packed one by one, so the failure lands on its package.
      const one = packed?.[index] ?? (await npmPack([job.target.dir as string], ctx.dir, dryRun))[0]
      if (one.name !== job.target.manifest.name || one.version !== job.target.manifest.version) {
        throw new PublishError(
          'PACKAGE_INVALID',
          `npm packed ${one.name}@${one.version} from ${job.target.where}, not the ${idOf(job)} the action checked`
        )
      }
      await use(job, one)
    } catch (error) {
      fail(job, 'publish', error)
    }
  }
}

/** Uploads and tag moves, each after the packages of the run it depends on. */
async function publishInOrder(
  jobs: Job[],
  ctx: Context,
  fail: (job: Job, stage: Stage, error: unknown) => void
): Promise<void> {
  // Directories that can go together are uploaded by one npm first; the rest one by one.
  const batch = batchable(jobs, ctx)
  if (batch.length >= 2) {
    try {
      await uploadBatch(batch, ctx, batch[0].plan?.tag as string, (job, error) =>
        fail(job, 'publish', error)
      )
    } catch (error) {
      for (const job of batch) if (job.outcome.status === 'pending') fail(job, 'publish', error)
    }
  }
  const limit = limiter(PUBLISH_CONCURRENCY)
  const settled = new Map<string, Promise<boolean>>()
  for (const job of jobs) {
    const deps = job.target.dependsOn.map((name) => settled.get(name) ?? Promise.resolve(true))
    settled.set(
      job.target.manifest.name,
      (async () => {
        const ready = await Promise.all(deps)
        if (job.outcome.status !== 'pending') return isSettled(job.outcome.status)
        if (!ready.every(Boolean)) {
          const blocked = job.target.dependsOn.filter((name) => {
            const dep = jobs.find((j) => j.target.manifest.name === name)
            return dep && !isSettled(dep.outcome.status)
          })
          Object.assign(job.outcome, {
            status: 'held-back',
            reason: `Not published: it depends on ${blocked.join(', ')}, which did not publish.`
          })
          return false
        }
        return limit(async () => {
          // The next package's npm loads while this one publishes.
          if (
            jobs.some(
              (j) => j !== job && j.outcome.status === 'pending' && j.plan?.action === 'publish'
            )
          )
            prewarm()
          try {
            if (job.plan?.action === 'compare') await settlePublished(job, ctx)
            else if (job.plan?.action === 'publish') await upload(job, ctx, job.plan.tag)
          } catch (error) {
            // A rerun's conflict or a refused tag move: npm publish never ran.
            fail(job, job.plan?.action === 'compare' ? 'plan' : 'publish', error)
          }
          return isSettled(job.outcome.status)
        })
      })()
    )
  }
  await Promise.all(settled.values())
}

/**
 * The uploads one npm can do in one go (`npm publish --workspaces`, which publishes in the order
 * given, each after the previous one landed): workspace directories published with the token as
 * they are (no rewritten tarball, no stage, dry run or provenance), under one tag, access and
 * provenance setting, each after dependencies that are settled already or earlier in the batch.
 * npm starts once for all of them: on a 2-core runner one npm start costs about as much CPU as
 * the uploads of eight tiny packages.
 */
function batchable(jobs: Job[], ctx: Context): Job[] {
  const { options } = ctx
  if (!ctx.workspace || ctx.auth.method !== 'token') return []
  if (options.stage || options.dryRun || options.validateOnly) return []
  const uploads = jobs.filter(
    (j) =>
      j.plan?.action === 'publish' &&
      j.outcome.status === 'pending' &&
      j.target.kind === 'directory' &&
      j.target.rewrites.length === 0 &&
      !j.file &&
      effectiveProvenance(options, j.target) !== true
  )
  const first = uploads[0]
  if (!first) return []
  const key = (j: Job): string =>
    JSON.stringify([
      j.plan?.action === 'publish' ? j.plan.tag : '',
      j.outcome.access,
      effectiveProvenance(options, j.target) ?? null
    ])
  const batch: Job[] = []
  const inBatch = new Set<string>()
  for (const job of uploads) {
    if (key(job) !== key(first)) continue
    const ready = job.target.dependsOn.every((name) => {
      if (inBatch.has(name)) return true
      const dep = jobs.find((j) => j.target.manifest.name === name)
      return !dep || isSettled(dep.outcome.status)
    })
    if (!ready) continue
    batch.push(job)
    inBatch.add(job.target.manifest.name)
  }
  return batch
}

/** At most `n` tasks at once. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0
  const queue: (() => void)[] = []
  return async (task) => {
    if (running >= n) await new Promise<void>((resolve) => queue.push(resolve))
    running++
    try {
      return await task()
    } finally {
      running--
      queue.shift()?.()
    }
  }
}

const STAGE_MIN_NPM = '11.15.0'

/** Staged publishing needs npm >= 11.15.0. */
async function checkStageNpm(): Promise<void> {
  const npm = await npmVersion()
  if (!validVersion(npm) || lowerThan(npm, STAGE_MIN_NPM)) {
    throw new PublishError(
      'INPUT_INVALID',
      `stage: true needs npm >= ${STAGE_MIN_NPM} (npm stage publish); this runner has npm ${npm}`,
      'Use actions/setup-node with `node-version: 24` and `npm install -g npm@11` before this step.'
    )
  }
}

/**
 * Provenance is signed into the public transparency log before the upload, so a publish that then
 * fails leaves a permanent entry: check what it needs first.
 */
function checkProvenance(job: Job, access: string): void {
  const { manifest } = job.target
  const fail = (message: string, hint?: string): never => {
    throw new PublishError('PROVENANCE_FAILED', message, hint)
  }
  if (!idTokenAvailable()) {
    fail(
      `provenance is on for ${manifest.name}, but this job cannot request an ID token`,
      'Add `permissions: id-token: write` to the job, or turn provenance off (`provenance: false`).'
    )
  }
  if (process.env['RUNNER_ENVIRONMENT'] !== 'github-hosted') {
    fail(
      `provenance is on for ${manifest.name}, which needs a GitHub-hosted runner; this one is ${process.env['RUNNER_ENVIRONMENT'] || 'unknown'} (the registry answers 422)`,
      'Publish from a GitHub-hosted runner, or turn provenance off (`provenance: false`).'
    )
  }
  const repository = process.env['GITHUB_REPOSITORY']
  const declared = githubRepository(manifest.repository)
  if (repository && declared !== repository) {
    fail(
      `provenance needs package.json "repository" to name ${repository}; ${manifest.name}'s names ${manifest.repository ?? 'nothing'}`,
      `Set "repository": {"type": "git", "url": "git+https://github.com/${repository}.git"} in package.json.`
    )
  }
  if (manifest.name.startsWith('@') && access !== 'public') {
    fail(
      `provenance for the scoped package ${manifest.name} needs public access`,
      'Set `access: public` (provenance cannot be generated for private packages).'
    )
  }
  // npm asks the registry whether the package is public; a new one is not yet, and npm refuses.
  if (!job.packument && access !== 'public') {
    fail(
      `provenance for ${manifest.name}, which is new to the registry, needs public access (npm refuses to sign a package the registry does not show as public yet)`,
      'Set `access: public` (or publishConfig.access) for the first publish with provenance.'
    )
  }
}
