import * as workflow from './workflow.js'
import { PublishError } from './errors.js'
import type { Options } from './inputs.js'
import validVersion from 'semver/functions/valid.js'
import lowerThan from 'semver/functions/lt.js'
import { readManifest, type Manifest, type TarballDigest } from './manifest.js'
import { withNpmrc } from './credentials.js'
import { npmPackIntegrity, npmPublish, npmRunScript, npmVersion, type NpmResult } from './npm.js'
import type { AuthChoice } from './oidc.js'
import { diagnosePublish } from './npm-errors.js'
import { planPublish } from './plan.js'
import type { Outcome, Preflight } from './publish.js'
import type { HttpResult, Packument, RegistryClient, TokenListResult } from './registry.js'
import { findOwnEntry, judgeToken, type TokenVerdict } from './token-check.js'

/** What the front of the run (publish.ts) hands over: the checked inputs and the requests in flight. */
export interface Started {
  options: Options
  manifest: Manifest & { digest?: TarballDigest }
  auth: AuthChoice
  client: RegistryClient
  requests: Preflight
}

/** Lifecycle scripts in npm's order, split around the moment the credentials exist. */
const SCRIPTS_BEFORE = ['prepublishOnly', 'prepack', 'prepare']
const SCRIPTS_AFTER = ['postpack', 'publish', 'postpublish']

/** The rest of the run, once the preflight requests are out: judge, decide, publish, confirm. */
export async function release(started: Started, outcome: Outcome): Promise<void> {
  const { options, manifest, auth, client } = started
  const [verdict, packument] = await preflight(started)
  applyVerdict(verdict, options, outcome)
  if (options.stage) await checkStaging(manifest.name, packument)
  const plan = planPublish({
    name: manifest.name,
    version: manifest.version,
    tag: options.tag ?? manifest.publishConfig.tag,
    strategy: options.strategy,
    packument
  })
  outcome.tag = plan.tag
  outcome.oldVersion = plan.oldVersion ?? ''
  outcome.type = plan.type
  const scripts = new LifecycleScripts(manifest, options)

  if (plan.action === 'skip') {
    outcome.result = `Skipped: ${plan.reason}.`
    return
  }
  if (plan.action === 'compare') {
    await scripts.before()
    const ours = await localDigest(options, manifest.digest)
    outcome.integrity = ours.integrity
    outcome.shasum = ours.shasum
    confirmSameContent(manifest, ours, packument)
    outcome.result = `${manifest.name}@${manifest.version} is already published with identical content; nothing to do.`
    return
  }
  if (options.validateOnly) {
    outcome.result = `Validated: ${manifest.name}@${manifest.version} would be published under "${plan.tag}" (validate-only, nothing uploaded).`
    return
  }

  await scripts.before()
  const uploadStart = Date.now()
  const npm = await publishOnce(options, auth, manifest.name, plan.tag, outcome)
  if (npm.exitCode !== 0) {
    const upload = { tag: plan.tag, start: uploadStart }
    await recoverFailedPublish(npm, client, options, auth, manifest, upload, outcome)
  }
  if (outcome.published) await scripts.after()
  else if (options.dryRun) {
    outcome.result = `Dry run: ${manifest.name}@${manifest.version} packed and checked; nothing uploaded.`
  }
}

/** The preflight's answers: the token verdict (if checked) and the packument. */
async function preflight(
  started: Started
): Promise<[TokenVerdict | undefined, Packument | undefined]> {
  const { options, requests } = started
  const token = requests.token && checkToken(started, requests.token)
  const [verdict, packument] = await Promise.allSettled([token, requests.packument])
  // A definite token failure explains a refused packument read better than the read itself.
  if (verdict.status === 'rejected') throw verdict.reason
  if (packument.status === 'rejected') {
    if (verdict.value?.failure && options.tokenCheck === 'strict') return [verdict.value, undefined]
    throw packument.reason
  }
  return [verdict.value, packument.value]
}

async function checkToken(
  { options, manifest, client }: Started,
  answers: Promise<[HttpResult, TokenListResult]>
): Promise<TokenVerdict> {
  const [whoami, list] = await answers
  const own = findOwnEntry(list, options.token)
  const needsEgress = own.kind === 'found' && (own.entry.cidr?.length ?? 0) > 0
  const egress = !needsEgress
    ? undefined
    : options.egressIp
      ? { address: options.egressIp, source: '`egress-ip` input' }
      : await client.egressAddress()
  return judgeToken({ whoami, own, egress, packageName: manifest.name, now: new Date() })
}

function applyVerdict(verdict: TokenVerdict | undefined, options: Options, outcome: Outcome): void {
  if (!verdict) {
    outcome.tokenCheck = 'skipped'
    return
  }
  outcome.checks = verdict.checks
  outcome.tokenUser = verdict.user ?? ''
  for (const check of verdict.checks) {
    if (check.status === 'warn') workflow.warning(`Token check: ${check.title}: ${check.detail}`)
  }
  if (!verdict.failure) {
    outcome.tokenCheck = verdict.checks.some((c) => c.status === 'warn') ? 'warned' : 'passed'
    return
  }
  const { failure } = verdict
  if (options.tokenCheck === 'strict') {
    outcome.tokenCheck = 'failed'
    throw new PublishError(
      failure.code ?? 'TOKEN_INVALID',
      `Token check failed before anything was uploaded: ${failure.title}: ${failure.detail}`
    )
  }
  outcome.tokenCheck = 'warned'
  for (const check of verdict.checks.filter((c) => c.status === 'fail')) {
    workflow.warning(
      `[${check.code}] Token check: ${check.title}: ${check.detail} (token-check: warn, publishing anyway)`
    )
  }
}

async function localDigest(options: Options, digest?: TarballDigest): Promise<TarballDigest> {
  if (digest) return digest
  return withNpmrc(options.registry, '', undefined, (scratch) =>
    npmPackIntegrity(options.packagePath, scratch.dir)
  )
}

function confirmSameContent(
  manifest: Manifest,
  ours: TarballDigest,
  packument: Packument | undefined
): void {
  const dist = packument?.versions?.[manifest.version]?.dist ?? {}
  const same = dist.integrity ? dist.integrity === ours.integrity : dist.shasum === ours.shasum
  if (!same) {
    throw new PublishError(
      'VERSION_CONFLICT',
      `${manifest.name}@${manifest.version} is already published with different content (registry ${dist.integrity ?? dist.shasum ?? 'lists no integrity'}, ours ${ours.integrity})`
    )
  }
}

async function publishOnce(
  options: Options,
  auth: AuthChoice,
  name: string,
  tag: string,
  outcome: Outcome
): Promise<NpmResult> {
  const token = options.dryRun ? undefined : auth.token
  const command = options.stage ? 'npm stage publish' : 'npm publish'
  const npm = await withNpmrc(options.registry, name, token, (credentials) =>
    npmPublish(
      {
        stage: options.stage,
        target: options.packagePath,
        tag,
        access: options.access,
        provenance: options.provenance,
        dryRun: options.dryRun,
        registry: options.registry
      },
      credentials
    )
  )
  workflow.startGroup(options.dryRun ? `${command} --dry-run` : command)
  if (npm.stdout.trim()) workflow.info(npm.stdout.trimEnd())
  if (npm.stderr.trim()) workflow.info(npm.stderr.trimEnd())
  workflow.endGroup()
  if (npm.exitCode === 0) {
    const result = publishedResult(npm.json, name)
    outcome.integrity = result.integrity ?? outcome.integrity
    outcome.shasum = result.shasum ?? outcome.shasum
    if (options.stage && !options.dryRun) {
      outcome.stageId = result.stageId ?? ''
      outcome.result = `Staged ${name}@${outcome.version} for "${tag}"${outcome.stageId ? ` (stage ${outcome.stageId})` : ''}: approve it on the registry (npmjs.com → the package → Staged versions) or with \`npm stage approve ${outcome.stageId || '<stage-id>'}\`.`
      return npm
    }
    outcome.published = !options.dryRun
    if (outcome.published) {
      outcome.id = `${name}@${outcome.version}`
      outcome.result = `Published ${outcome.id} under "${tag}".`
    }
  }
  return npm
}

/** `npm publish --json` prints `{"<name>": {id, integrity, shasum, ...}}` (npm 11) or the bare object. */
function publishedResult(
  json: unknown,
  name: string
): { integrity?: string; shasum?: string; stageId?: string } {
  const record = (json ?? {}) as Record<string, unknown>
  const entry = (typeof record[name] === 'object' ? record[name] : record) as Record<
    string,
    unknown
  >
  const pick = (key: string): string | undefined =>
    typeof entry[key] === 'string' ? entry[key] : undefined
  return {
    integrity: pick('integrity'),
    shasum: pick('shasum'),
    stageId:
      pick('stageId') ?? (typeof record['stageId'] === 'string' ? record['stageId'] : undefined)
  }
}

/**
 * After a failed publish: a definite error is thrown as is. An ambiguous one (timeout, reset, 5xx,
 * 409) may have landed: read the registry back; ours → success, someone else's → conflict, absent →
 * one more publish (never when the registry said the version exists).
 */
async function recoverFailedPublish(
  npm: NpmResult,
  client: RegistryClient,
  options: Options,
  auth: AuthChoice,
  manifest: Manifest & { digest?: TarballDigest },
  upload: { tag: string; start: number },
  outcome: Outcome
): Promise<void> {
  const { tag } = upload
  const id = `${manifest.name}@${manifest.version}`
  let failure = diagnosePublish(npm, {
    provenance: options.provenance,
    oidc: auth.method === 'oidc'
  })
  // A staged version is not in the packument, and a dry run uploads nothing: nothing to read back.
  const canReadBack = !options.dryRun && !options.stage
  for (let attempt = 1; failure.kind === 'ambiguous' && canReadBack; attempt++) {
    workflow.info(
      `The publish may or may not have landed (${failure.reason}); reading the registry back.`
    )
    // The registry or npm's read says the version exists: a lagging replica may not show it yet.
    const packument = await readBack(client, manifest, failure.exists ? 3 : 1)
    if (packument?.versions?.[manifest.version]) {
      const ours = await localDigest(options, manifest.digest)
      confirmSameContent(manifest, ours, packument)
      Object.assign(outcome, { integrity: ours.integrity, shasum: ours.shasum })
      if (versionOwner(failure, attempt, packument, manifest.version, upload.start) === 'earlier') {
        Object.assign(outcome, {
          type: 'same',
          result: `${id} is already published with identical content; nothing to do.`
        })
        return
      }
      Object.assign(outcome, {
        published: true,
        id,
        result: `Published ${id} under "${tag}" (confirmed by reading the registry back after: ${failure.reason}).`
      })
      return
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
    workflow.info('The version is not on the registry: publishing once more.')
    // A rate limit answers the same to an immediate retry.
    if (/E429/.test(failure.reason))
      await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_PAUSE_MS))
    const retry = await publishOnce(options, auth, manifest.name, tag, outcome)
    if (retry.exitCode === 0) return
    failure = diagnosePublish(retry, {
      provenance: options.provenance,
      oidc: auth.method === 'oidc'
    })
  }
  if (failure.kind === 'definite') throw failure.error
  if (failure.exists) {
    // A staged or dry run: the version is there, and nothing is read back to compare it.
    throw new PublishError(
      'PUBLISH_FAILED',
      `npm reports ${id} as already published`,
      'A published version cannot be replaced or staged again: bump the version.'
    )
  }
  throw new PublishError(
    'PUBLISH_FAILED',
    `The publish failed and the version is not on the registry (${failure.reason})`,
    'Nothing was published. Re-run the job; if it keeps failing, check the registry status.'
  )
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

const STAGE_MIN_NPM = '11.15.0'
const RATE_LIMIT_PAUSE_MS = 5000
const READ_BACK_PAUSE_MS = 1000

/** Staged publishing adds a version to an existing package, with npm >= 11.15.0. */
async function checkStaging(name: string, packument: Packument | undefined): Promise<void> {
  if (!packument) {
    throw new PublishError(
      'INPUT_INVALID',
      `stage: true, but ${name} does not exist on the registry yet and a first version cannot be staged`,
      'Publish the first version directly (`stage: false`), then stage the next ones.'
    )
  }
  const npm = await npmVersion()
  if (!validVersion(npm) || lowerThan(npm, STAGE_MIN_NPM)) {
    throw new PublishError(
      'INPUT_INVALID',
      `stage: true needs npm >= ${STAGE_MIN_NPM} (npm stage publish); this runner has npm ${npm}`,
      'Use actions/setup-node with `node-version: 24` and `npm install -g npm@11` before this step.'
    )
  }
}

/** The packument, read up to `tries` times a second apart until it lists our version. */
async function readBack(
  client: RegistryClient,
  manifest: Manifest,
  tries: number
): Promise<Packument | undefined> {
  let packument: Packument | undefined
  for (let attempt = 1; attempt <= tries; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, READ_BACK_PAUSE_MS))
    packument = await client.packument(manifest.name)
    if (packument?.versions?.[manifest.version]) break
  }
  return packument
}

/** Runs the package's lifecycle scripts outside the credentials' lifetime, each at most once. */
class LifecycleScripts {
  constructor(
    private readonly manifest: Manifest,
    private readonly options: Options
  ) {}

  private get enabled(): boolean {
    return !this.options.ignoreScripts && this.options.packageKind === 'directory'
  }

  /** The scripts npm runs before packing; then package.json is read again, as npm does. */
  async before(): Promise<void> {
    if (!this.enabled || !(await this.run(SCRIPTS_BEFORE))) return
    // A script may rewrite package.json: the checks hold for what npm will read now.
    const now = await readManifest(this.options.packagePath, 'directory')
    if (now.name !== this.manifest.name || now.version !== this.manifest.version) {
      throw new PublishError(
        'PACKAGE_INVALID',
        `A lifecycle script changed package.json from ${this.manifest.name}@${this.manifest.version} to ${now.name}@${now.version}`,
        'Set the version before this step (the checks ran against the old one), or set `ignore-scripts: true`.'
      )
    }
  }

  async after(): Promise<void> {
    if (this.enabled) await this.run(SCRIPTS_AFTER)
  }

  /** Runs those of `names` the package has; says whether any ran. */
  private async run(names: string[]): Promise<boolean> {
    let ran = false
    for (const name of names) {
      if (this.manifest.scripts[name] === undefined) continue
      ran = true
      workflow.startGroup(`npm run ${name}`)
      try {
        await npmRunScript(this.options.packagePath, name)
      } finally {
        workflow.endGroup()
      }
    }
    return ran
  }
}
