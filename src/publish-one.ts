import * as core from '@actions/core'
import fs from 'node:fs'
import path from 'node:path'
import { cancelled, throwIfCancelled } from './cancel.js'
import type { PrivateDir } from './credentials.js'
import { PublishError } from './errors.js'
import type { Options } from './inputs.js'
import { diagnosePublish, type PublishFailure } from './npm-errors.js'
import { npmPack, npmPublish, npmPublishBatch, type NpmResult } from './npm.js'
import type { AuthChoice } from './oidc.js'
import type { PackageOutcome } from './outcome.js'
import type { Plan } from './plan.js'
import { findingSentence } from './preflight.js'
import type { Packument, RegistryClient } from './registry.js'
import { describeStatus } from './registry.js'
import { quote, redact } from './secrets.js'
import type { TarballDigest } from './tarball.js'
import type { PackageTarget } from './target.js'
import type { Check } from './token-check.js'

/** One package on its way: what it is, what the plan says, and what npm publishes. */
export interface Job {
  target: PackageTarget
  outcome: PackageOutcome
  plan?: Plan
  packument?: Packument
  /** The tarball npm publishes (packed and rewritten, or a .tgz's copy); undefined → the directory. */
  file?: string
  /** The content's digest, when it is known before the upload (a tarball, or a comparison). */
  digest?: TarballDigest
}

export interface Context {
  options: Options
  auth: AuthChoice
  client: RegistryClient
  dir: PrivateDir
  registry: URL
  /** Failed token checks under `token-check: warn`: an upload refusal is explained by them. */
  findings: Check[]
  /** Several packages in one step: reruns are skips, conflicts are warnings. */
  workspace: boolean
}

export function idOf(job: Job): string {
  return `${job.target.manifest.name}@${job.target.manifest.version}`
}

/**
 * The version is already on the registry: the same content is a no-op (or a tag move, when the
 * plan says so); different content is VERSION_CONFLICT — in a workspace a skip with a warning.
 */
export async function settlePublished(job: Job, ctx: Context): Promise<void> {
  const plan = job.plan
  if (plan?.action !== 'compare' || !job.digest)
    throw new Error('settlePublished needs a comparison')
  const id = idOf(job)
  const dist = job.packument?.versions?.[job.target.manifest.version]?.dist ?? {}
  const same = sameContent(dist, job.digest)
  Object.assign(job.outcome, {
    integrity: job.digest.integrity,
    shasum: job.digest.shasum,
    type: 'same'
  })
  if (!same) {
    const theirs = dist.integrity ?? dist.shasum ?? 'no integrity listed'
    if (ctx.workspace) {
      const why = `${id} is already published, but what would be packed now differs (registry ${theirs}, here ${job.digest.integrity}): a workspace dependency was released since and its rewritten range moved, or the version was not bumped after a change`
      core.warning(`${why}. Not published again.`, {
        title: `${id} differs from the published version`
      })
      Object.assign(job.outcome, { status: 'skipped', reason: `${why}; skipped.` })
      return
    }
    throw new PublishError(
      'VERSION_CONFLICT',
      `${id} is already published with different content (registry ${theirs}, this package ${job.digest.integrity})`
    )
  }
  if (!plan.tagMove.move) {
    Object.assign(job.outcome, {
      status: ctx.workspace ? 'skipped' : 'unchanged',
      reason: `${id} is already published with identical content; ${plan.tagMove.reason}. Nothing to do.`
    })
    return
  }
  await moveTag(job, ctx, plan.tag, plan.tagMove.from)
}

/** Adds or moves a dist-tag to an already published version (semantic-release's addChannel). */
async function moveTag(
  job: Job,
  ctx: Context,
  tag: string,
  from: string | undefined
): Promise<void> {
  const id = idOf(job)
  const move = from
    ? `"${tag}" from ${from} to ${job.target.manifest.version}`
    : `"${tag}" to ${job.target.manifest.version}`
  if (ctx.options.dryRun || ctx.options.validateOnly) {
    Object.assign(job.outcome, {
      status: ctx.options.dryRun ? 'dry-run' : 'validated',
      reason: `${id} is already published with identical content; would move ${move} (${ctx.options.dryRun ? 'dry run' : 'validate-only'}, nothing sent).`
    })
    return
  }
  throwIfCancelled('before the dist-tag was moved')
  const answer = await ctx.client.setDistTag(
    job.target.manifest.name,
    tag,
    job.target.manifest.version
  )
  if (answer.status >= 200 && answer.status < 300) {
    Object.assign(job.outcome, {
      status: 'tag-moved',
      tagMoved: true,
      reason: `${id} was already published with identical content; moved ${move}.`
    })
    return
  }
  const said = describeStatus(answer)
  const otp = answer.status === 401 && /otp/i.test(answer.headers['www-authenticate'] ?? '')
  const code =
    otp || /one-time pass|two-factor|\b2fa\b/i.test(said)
      ? 'OTP_REQUIRED'
      : answer.status === 401
        ? 'TOKEN_INVALID'
        : 'PUBLISH_FORBIDDEN'
  throw explainRefusal(
    new PublishError(
      code,
      `The registry refused to move ${move} for ${job.target.manifest.name}: ${said}`
    ),
    ctx
  )
}

/**
 * `npm publish` of one package (the token on npm's stdin), then the checks that it published what
 * was checked; an ambiguous failure is read back from the registry.
 */
export async function upload(job: Job, ctx: Context, tag: string): Promise<void> {
  const id = idOf(job)
  const uploadStart = Date.now()
  let npm = await runPublish(job, ctx, tag)
  if (npm.exitCode === 0) return recordPublished(job, ctx, npm, tag)
  if (cancelled()) throwIfCancelled(`during the upload of ${id}`)
  let failure = diagnose(npm, ctx, job)
  const canReadBack = !ctx.options.dryRun && !ctx.options.stage
  for (let attempt = 1; failure.kind === 'ambiguous' && canReadBack; attempt++) {
    core.info(
      `The publish of ${id} may or may not have landed (${failure.reason}); reading the registry back.`
    )
    const packument = await readBack(ctx.client, job, failure.exists ? 3 : 1)
    if (packument?.versions?.[job.target.manifest.version]) {
      job.packument = packument
      // The directory went to npm unpacked: learn what it packs to, to compare.
      job.digest ??= (await npmPack([job.target.dir as string], ctx.dir, true))[0]
      return confirmLanded(job, ctx, failure, attempt, uploadStart, tag)
    }
    if (failure.exists) {
      throw new PublishError(
        'PUBLISH_FAILED',
        `npm reports ${id} as already published, but the registry does not show it to this token, so its content cannot be compared`,
        attempt === 1
          ? 'Nothing was uploaded by this run. If this re-runs a release that succeeded, the version is out; otherwise bump the version.'
          : "This run's first upload may have landed without showing yet: check the registry before re-running."
      )
    }
    if (attempt > 1) break
    core.info(`${id} is not on the registry: publishing once more.`)
    // A rate limit answers the same to an immediate retry.
    if (/E429/.test(failure.reason))
      await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_PAUSE_MS))
    throwIfCancelled(`before ${id} was published again`)
    npm = await runPublish(job, ctx, tag)
    if (npm.exitCode === 0) return recordPublished(job, ctx, npm, tag)
    if (cancelled()) throwIfCancelled(`during the upload of ${id}`)
    failure = diagnose(npm, ctx, job)
  }
  if (failure.kind === 'definite') throw explainRefusal(failure.error, ctx)
  if (failure.exists) {
    throw new PublishError(
      'PUBLISH_FAILED',
      `npm reports ${id} as already published`,
      'A published version cannot be replaced or staged again: bump the version.'
    )
  }
  throw new PublishError(
    'PUBLISH_FAILED',
    `The publish of ${id} failed and the version is not on the registry (${failure.reason})`,
    'Nothing was published. Re-run the job; if it keeps failing, check the registry status.'
  )
}

/**
 * Several directories in one npm (`npmPublishBatch`), in dependency order, all with the same tag,
 * access and provenance. npm stops at its first failure: what it reports as published is
 * recorded, what it does not is read back from the registry (landed → published), and the rest
 * stays pending for the one-by-one path, which retries, diagnoses and holds back as for any package.
 */
export async function uploadBatch(
  jobs: Job[],
  ctx: Context,
  tag: string,
  fail: (job: Job, error: unknown) => void
): Promise<void> {
  const ids = jobs.map(idOf)
  throwIfCancelled(`before ${ids.join(', ')} were uploaded`)
  const token = await ctx.auth.tokenFor(jobs[0].target.manifest.name)
  const provenance = effectiveProvenance(ctx.options, jobs[0].target)
  const npm = await npmPublishBatch(
    {
      dirs: jobs.map((j) => j.target.dir as string),
      tag,
      access: jobs[0].outcome.access || undefined,
      provenance: provenance === false ? false : undefined,
      registry: ctx.registry,
      timeoutMs: ctx.client.timeoutMs
    },
    ctx.dir,
    token
  )
  logNpm(`npm publish --workspaces ${ids.join(' ')}`, npm, ctx.dir.dir)
  const results = (npm.json ?? {}) as Record<string, unknown>
  for (const job of jobs) {
    const entry = results[job.target.manifest.name]
    // npm's failure sits in the same document, under "error": only a result with an id counts.
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof (entry as { id?: unknown }).id !== 'string'
    )
      continue
    try {
      recordPublished(job, ctx, { ...npm, json: { [job.target.manifest.name]: entry } }, tag)
    } catch (error) {
      fail(job, error)
    }
  }
  if (npm.exitCode === 0 && jobs.every((j) => j.outcome.status !== 'pending')) return
  // What npm reported before a signal stopped it is recorded above; the rest is not tried.
  if (cancelled()) throwIfCancelled(`during the upload of ${ids.join(', ')}`)
  core.info(
    `npm stopped before it reported every package (exit ${npm.exitCode}); reading the registry back, then publishing the rest one by one.`
  )
  const landed: Job[] = []
  for (const job of jobs.filter((j) => j.outcome.status === 'pending')) {
    const packument = await ctx.client.packument(job.target.manifest.name)
    if (!packument?.versions?.[job.target.manifest.version]) continue
    job.packument = packument
    landed.push(job)
  }
  if (landed.length === 0) return
  // On the registry now: this run's upload only if it is this run's content.
  const packed = await npmPack(
    landed.map((j) => j.target.dir as string),
    ctx.dir,
    true
  )
  for (const [index, job] of landed.entries()) {
    const dist = job.packument?.versions?.[job.target.manifest.version]?.dist ?? {}
    const ours = packed[index]
    if (!sameContent(dist, ours)) {
      fail(job, otherContent(job, dist, ours))
      continue
    }
    Object.assign(job.outcome, {
      integrity: ours.integrity,
      shasum: ours.shasum,
      status: 'published',
      reason: `Published ${idOf(job)} under "${tag}" (confirmed by reading the registry back).`
    })
  }
}

async function runPublish(job: Job, ctx: Context, tag: string): Promise<NpmResult> {
  throwIfCancelled(`before ${idOf(job)} was uploaded`)
  const { options } = ctx
  const token = options.dryRun ? undefined : await ctx.auth.tokenFor(job.target.manifest.name)
  const command = options.stage ? 'npm stage publish' : 'npm publish'
  const npm = await npmPublish(
    {
      stage: options.stage,
      target: job.file ?? (job.target.dir as string),
      tag,
      access: job.outcome.access || undefined,
      provenance: effectiveProvenance(options, job.target),
      dryRun: options.dryRun,
      registry: ctx.registry,
      timeoutMs: ctx.client.timeoutMs
    },
    ctx.dir,
    token
  )
  logNpm(`${command}${options.dryRun ? ' --dry-run' : ''} ${idOf(job)}`, npm, ctx.dir.dir)
  return npm
}

/** provenance: the input, else publishConfig.provenance, else npm's default (off). */
export function effectiveProvenance(options: Options, target: PackageTarget): boolean | undefined {
  return options.provenance ?? target.manifest.publishConfig.provenance
}

/**
 * npm's output once, in a group, redacted. npm's --json document is read, not shown (a failure's
 * repeats its stderr; a success's lists files). On a failure, npm points at its debug log, inside
 * the private dir that is deleted when the step ends: the pointer is dropped and the log's useful
 * lines (the requests npm made, with their statuses) are shown here instead.
 */
export function logNpm(title: string, npm: NpmResult, privateDir: string): void {
  core.startGroup(title)
  const pointer = /A complete log of this run can be found in:?\s*(\S+)/.exec(npm.stderr)?.[1]
  const lines = npm.stderr
    .split('\n')
    .filter(
      (line) =>
        line.trim() && !line.includes(privateDir) && !/A complete log of this run/.test(line)
    )
  const requests = npm.exitCode !== 0 && pointer ? debugLogRequests(pointer, privateDir) : []
  if (requests.length) lines.push("npm's requests (from its debug log):", ...requests)
  if (lines.length) core.info(redact(lines.join('\n')))
  core.endGroup()
}

/** `GET 404 https://…/name 58ms` lines of an npm debug log inside the private dir (at most 20). */
function debugLogRequests(file: string, privateDir: string): string[] {
  const resolved = path.resolve(file)
  if (!resolved.startsWith(`${path.resolve(privateDir)}${path.sep}`)) return []
  let text: string
  try {
    text = fs.readFileSync(resolved, 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .map((line) => /^\d+ http fetch (.+)$/.exec(line)?.[1]?.trim())
    .filter((line): line is string => !!line && !line.includes(privateDir))
    .slice(-20)
    .map((line) => `  ${line}`)
}

function diagnose(npm: NpmResult, ctx: Context, job: Job): PublishFailure {
  return diagnosePublish(npm, {
    // publishConfig.provenance counts as the input does: npm signed (or tried to) either way.
    provenance: effectiveProvenance(ctx.options, job.target) === true,
    oidc: ctx.auth.method === 'oidc'
  })
}

/**
 * A refusal the preflight saw coming under `token-check: warn` is reported as what the preflight
 * found (read-only, outside the IP ranges...), not as npm's guess.
 */
function explainRefusal(error: PublishError, ctx: Context): PublishError {
  const refusal = ['PUBLISH_FORBIDDEN', 'TOKEN_INVALID', 'OTP_REQUIRED', 'TOKEN_CIDR'].includes(
    error.code
  )
  const finding = refusal ? ctx.findings[0] : undefined
  if (!finding) return error
  return new PublishError(
    finding.code ?? error.code,
    `${error.message}, as the token check found before the upload: ${findingSentence(finding)}`,
    finding.hint
  )
}

function recordPublished(job: Job, ctx: Context, npm: NpmResult, tag: string): void {
  const id = idOf(job)
  const result = publishedResult(npm.json, job.target.manifest.name)
  // npm publishes what it reads itself: it must be what the action checked.
  if (result.id && result.id !== id) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `npm reports it published ${quote(result.id)}, not the ${id} the action checked`,
      'Check the package for a second manifest or a script that rewrites package.json.'
    )
  }
  Object.assign(job.outcome, {
    integrity: result.integrity ?? job.digest?.integrity ?? '',
    shasum: result.shasum ?? job.digest?.shasum ?? ''
  })
  if (ctx.options.dryRun) {
    Object.assign(job.outcome, {
      status: 'dry-run',
      reason: `Dry run: ${id} packed and checked; nothing uploaded.`
    })
    return
  }
  if (ctx.options.stage) {
    const stageId = result.stageId ?? ''
    Object.assign(job.outcome, {
      status: 'staged',
      stageId,
      reason: `Staged ${id} for "${tag}"${stageId ? ` (stage ${stageId})` : ''}: approve it on the registry or with \`npm stage approve ${stageId || '<stage-id>'}\`.`
    })
    return
  }
  Object.assign(job.outcome, { status: 'published', reason: `Published ${id} under "${tag}".` })
}

/** `npm publish --json` prints `{"<name>": {id, integrity, shasum, ...}}` (npm 11) or the bare object. */
function publishedResult(
  json: unknown,
  name: string
): { id?: string; integrity?: string; shasum?: string; stageId?: string } {
  const record = (json ?? {}) as Record<string, unknown>
  const entry = (
    typeof record[name] === 'object' && record[name] !== null ? record[name] : record
  ) as Record<string, unknown>
  const pick = (key: string): string | undefined =>
    typeof entry[key] === 'string' ? entry[key] : undefined
  return {
    id: pick('id'),
    integrity: pick('integrity'),
    shasum: pick('shasum'),
    stageId:
      pick('stageId') ?? (typeof record['stageId'] === 'string' ? record['stageId'] : undefined)
  }
}

/** A version's `dist` as a packument lists it. */
type RegistryDist = { integrity?: string; shasum?: string }

/** Whether the registry's `dist` is this content: by integrity where it lists one, else by sha1. */
function sameContent(dist: RegistryDist, ours: TarballDigest): boolean {
  return dist.integrity ? dist.integrity === ours.integrity : dist.shasum === ours.shasum
}

/** The version landed, but not with this run's content. */
function otherContent(job: Job, dist: RegistryDist, ours: TarballDigest): PublishError {
  return new PublishError(
    'VERSION_CONFLICT',
    `${idOf(job)} is on the registry with other content than this run's (registry ${dist.integrity ?? dist.shasum ?? '?'}, this run ${ours.integrity})`
  )
}

/** The version showed up after an ambiguous failure: ours (same content) or a conflict. */
function confirmLanded(
  job: Job,
  _ctx: Context,
  failure: PublishFailure & { kind: 'ambiguous' },
  attempt: number,
  uploadStart: number,
  tag: string
): void {
  const id = idOf(job)
  const dist = job.packument?.versions?.[job.target.manifest.version]?.dist ?? {}
  const digest = job.digest
  if (digest && !sameContent(dist, digest)) throw otherContent(job, dist, digest)
  Object.assign(job.outcome, {
    integrity: dist.integrity ?? digest?.integrity ?? '',
    shasum: dist.shasum ?? digest?.shasum ?? ''
  })
  if (
    versionOwner(
      failure,
      attempt,
      job.packument as Packument,
      job.target.manifest.version,
      uploadStart
    ) === 'earlier'
  ) {
    Object.assign(job.outcome, {
      status: 'unchanged',
      type: 'same',
      reason: `${id} is already published with identical content; nothing to do.`
    })
    return
  }
  Object.assign(job.outcome, {
    status: 'published',
    reason: `Published ${id} under "${tag}" (confirmed by reading the registry back after: ${failure.reason}).`
  })
}

/**
 * Whose is the version a read-back found: this run's upload, or an earlier one? Refused as a
 * duplicate on this run's first attempt (by npm's own read, or by the registry, taken at its word:
 * a concurrent run is likelier than a replayed PUT) or dated before this run's upload → earlier.
 * On a retry, a duplicate is most likely this run's first upload.
 */
export function versionOwner(
  failure: { exists?: true; beforeUpload?: true },
  attempt: number,
  packument: Packument,
  version: string,
  uploadStart: number
): 'this run' | 'earlier' {
  if (attempt === 1 && (failure.exists || failure.beforeUpload)) return 'earlier'
  return publishedBefore(packument, version, uploadStart) ? 'earlier' : 'this run'
}

/** Clock skew allowed between the runner and the registry when dating a version. */
const CLOCK_SKEW_MS = 30_000
const RATE_LIMIT_PAUSE_MS = 5000
const READ_BACK_PAUSE_MS = 1000

/**
 * The registry dates the version (or, in an abbreviated packument, the package's last change)
 * before this run's upload began: it cannot be this run's upload, even one a proxy replayed.
 * Undated → false: the version is taken as ours, as it most likely is.
 */
export function publishedBefore(
  packument: Packument,
  version: string,
  uploadStart: number
): boolean {
  const dated = Date.parse(packument.time?.[version] ?? packument.modified ?? '')
  return Number.isFinite(dated) && dated < uploadStart - CLOCK_SKEW_MS
}

/** The packument, read up to `tries` times a second apart until it lists our version. */
async function readBack(
  client: RegistryClient,
  job: Job,
  tries: number
): Promise<Packument | undefined> {
  let packument: Packument | undefined
  for (let attempt = 1; attempt <= tries; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, READ_BACK_PAUSE_MS))
    packument = await client.packument(job.target.manifest.name)
    if (packument?.versions?.[job.target.manifest.version]) break
  }
  return packument
}
