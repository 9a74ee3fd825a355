import { PublishError } from './errors.js'
import type { Options } from './inputs.js'
import { githubRepository, readManifest, type Manifest } from './manifest.js'
import { chooseAuth, idTokenAvailable, type AuthChoice } from './oidc.js'
import {
  RegistryClient,
  type HttpResult,
  type Packument,
  type TokenListResult
} from './registry.js'
import type { Check } from './token-check.js'

/** Everything the report needs; filled in as the run goes, so a failure still reports what is known. */
export interface Outcome {
  published: boolean
  id: string
  name: string
  version: string
  tag: string
  access: string
  registry: string
  dryRun: boolean
  integrity: string
  shasum: string
  oldVersion: string
  type: string
  tokenUser: string
  tokenCheck: 'passed' | 'warned' | 'skipped' | 'failed' | ''
  checks: Check[]
  /** `token`, `oidc` or `stage`, and why. */
  authPath: '' | 'token' | 'oidc' | 'stage'
  authReason: string
  stageId: string
  /** One sentence: what happened (published, skipped and why, validated...). */
  result: string
  error?: PublishError
}

export function emptyOutcome(): Outcome {
  return {
    published: false,
    id: '',
    name: '',
    version: '',
    tag: '',
    access: '',
    registry: '',
    dryRun: false,
    integrity: '',
    shasum: '',
    oldVersion: '',
    type: '',
    tokenUser: '',
    tokenCheck: '',
    checks: [],
    authPath: '',
    authReason: '',
    stageId: '',
    result: ''
  }
}

/** The preflight's requests, started together before anything waits on them. */
export interface Preflight {
  /** whoami and the token list, unless the token is not checked. */
  token?: Promise<[HttpResult, TokenListResult]>
  packument: Promise<Packument | undefined>
}

/**
 * The whole run: read, check, decide, publish, confirm. Throws a PublishError; fills `outcome` as
 * it goes. The registry requests leave first; the code that judges their answers and runs npm
 * (`release.ts`) loads while they travel.
 */
export async function publishPackage(options: Options, outcome: Outcome): Promise<void> {
  outcome.registry = options.registry.href
  outcome.dryRun = options.dryRun
  const manifest = await readManifest(options.packagePath, options.packageKind)
  outcome.name = manifest.name
  outcome.version = manifest.version
  outcome.access = options.access ?? manifest.publishConfig.access ?? ''
  if (options.provenance) checkProvenance(manifest, outcome.access)

  const auth = await chooseAuth(options, manifest.name)
  outcome.authPath = options.stage ? 'stage' : auth.method
  outcome.authReason = auth.reason
  const client = new RegistryClient(options.registry, auth.token || undefined)
  try {
    const requests = startPreflight(client, options, auth, manifest.name)
    // Loading the rest is synchronous work: let the requests reach the wire first.
    await client.sent()
    const { release } = await import('./release.js')
    await release({ options, manifest, auth, client, requests }, outcome)
  } finally {
    await client.close()
  }
}

function startPreflight(
  client: RegistryClient,
  options: Options,
  auth: AuthChoice,
  name: string
): Preflight {
  // whoami and the token list say nothing about a short-lived OIDC token (npm's docs).
  const checked = options.tokenCheck !== 'off' && auth.method !== 'oidc'
  const requests: Preflight = {
    token: checked ? Promise.all([client.whoami(), client.tokenList()]) : undefined,
    packument: client.packument(name)
  }
  // Handled where they are awaited; a failure before that (loading release.ts) must not turn an
  // unread rejection into a crash.
  void requests.token?.catch(() => undefined)
  void requests.packument.catch(() => undefined)
  return requests
}

/**
 * Provenance is signed into the public transparency log before the upload, so a publish that then
 * fails leaves a permanent entry: check what it needs first.
 */
function checkProvenance(manifest: Manifest, access: string): void {
  const fail = (message: string, hint?: string): never => {
    throw new PublishError('PROVENANCE_FAILED', message, hint)
  }
  if (!idTokenAvailable()) {
    fail(
      'provenance: true, but this job cannot request an ID token',
      'Add `permissions: id-token: write` to the job, or set `provenance: false`.'
    )
  }
  if (process.env['RUNNER_ENVIRONMENT'] !== 'github-hosted') {
    fail(
      `provenance: true needs a GitHub-hosted runner; this one is ${process.env['RUNNER_ENVIRONMENT'] || 'unknown'} (the registry answers 422)`,
      'Publish from a GitHub-hosted runner, or set `provenance: false`.'
    )
  }
  const repository = process.env['GITHUB_REPOSITORY']
  const declared = githubRepository(manifest.repository)
  if (repository && declared !== repository) {
    fail(
      `provenance: true needs package.json "repository" to name ${repository}; it names ${manifest.repository ?? 'nothing'}`,
      `Set "repository": {"type": "git", "url": "git+https://github.com/${repository}.git"} in package.json.`
    )
  }
  if (manifest.name.startsWith('@') && access !== 'public') {
    fail(
      `provenance: true for the scoped package ${manifest.name} needs public access`,
      'Set `access: public` (provenance cannot be generated for private packages).'
    )
  }
}
