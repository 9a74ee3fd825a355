import * as core from '@actions/core'
import { PublishError } from './errors.js'
import type { Options } from './inputs.js'
import type { AuthChoice } from './oidc.js'
import type { RunOutcome } from './outcome.js'
import type { Packument, RegistryClient } from './registry.js'
import { redact } from './secrets.js'
import { findOwnEntry, judgeToken, type Check, type TokenVerdict } from './token-check.js'

/** What the registry said before anything was uploaded, once for the whole run. */
export interface Preflight {
  verdict?: TokenVerdict
  packuments: Map<string, Packument | undefined>
}

/**
 * The token checks (whoami and the token list, unless `token-check: off` or trusted publishing)
 * and every package's packument, all started together. Fills the run's token fields; under
 * `strict`, a definite bad verdict stops the run here, before anything is packed or uploaded.
 */
export async function preflight(
  client: RegistryClient,
  options: Options,
  auth: AuthChoice,
  names: string[],
  run: RunOutcome
): Promise<Preflight> {
  // whoami and the token list say nothing about a short-lived OIDC token (npm's docs).
  const checked = options.tokenCheck !== 'off' && auth.method !== 'oidc'
  const token = checked ? checkToken(client, options, names) : Promise.resolve(undefined)
  const packuments = Promise.all(
    names.map(async (name) => [name, await client.packument(name)] as const)
  )
  const [verdict, read] = await Promise.allSettled([token, packuments])
  if (verdict.status === 'rejected') throw verdict.reason
  applyVerdict(verdict.value, options, run)
  if (read.status === 'rejected') throw read.reason
  return { verdict: verdict.value, packuments: new Map(read.value) }
}

async function checkToken(
  client: RegistryClient,
  options: Options,
  names: string[]
): Promise<TokenVerdict> {
  const [whoami, list] = await Promise.all([client.whoami(), client.tokenList()])
  const own = findOwnEntry(list, options.token)
  const needsEgress = own.kind === 'found' && (own.entry.cidr?.length ?? 0) > 0
  const egress = !needsEgress
    ? undefined
    : options.egressIp
      ? { address: options.egressIp, source: '`egress-ip` input' }
      : await client.egressAddress()
  return judgeToken({
    whoami,
    own,
    egress,
    packageNames: names,
    now: new Date(),
    expiryWarningDays: options.expiryWarningDays,
    healthCheck: options.validateOnly,
    staged: options.stage,
    host: client.registry.host
  })
}

/** The checks in the order a reader needs them: what failed first, what was not checked last. */
const ORDER = { fail: 0, warn: 1, pass: 2, skip: 3 } as const

function applyVerdict(verdict: TokenVerdict | undefined, options: Options, run: RunOutcome): void {
  if (!verdict) {
    run.tokenCheck = 'skipped'
    return
  }
  run.checks = [...verdict.checks].sort((a, b) => ORDER[a.status] - ORDER[b.status])
  // A username that echoes the token (or a piece of it) must never reach an output.
  const user = verdict.user ?? ''
  run.tokenUser = redact(user) === user ? user : ''
  if (user && !run.tokenUser)
    core.warning('The registry named a user that holds the token itself; not shown.', {
      title: 'Token check'
    })
  const details = verdict.checks.find((c) => c.id === 'details')
  if (details?.status === 'skip')
    core.notice(`Token details: ${details.detail}.`, { title: 'Token details unavailable' })
  const warnings = verdict.checks.filter((c) => c.status === 'warn')
  for (const check of warnings)
    core.warning(findingSentence(check), { title: check.code ?? `Token check: ${check.title}` })
  if (!verdict.failure) {
    run.tokenCheck = warnings.length ? 'warned' : 'passed'
    return
  }
  const failure = verdict.failure
  if (options.tokenCheck === 'strict') {
    run.tokenCheck = 'failed'
    throw tokenFailure(failure)
  }
  run.tokenCheck = 'warned'
  for (const check of verdict.checks.filter((c) => c.status === 'fail')) {
    core.warning(`${findingSentence(check)} Publishing anyway (\`token-check: warn\`).`, {
      title: check.code ?? 'Token check'
    })
  }
}

/** "Expiry: expired on 2026-01-02." */
export function findingSentence(check: Check): string {
  return `${check.title}: ${check.detail}.${check.hint ? ` ${check.hint}` : ''}`
}

/** The error a failed check stops the run with. */
export function tokenFailure(check: Check): PublishError {
  return new PublishError(
    check.code ?? 'TOKEN_INVALID',
    `${check.title}: ${check.detail}; nothing was uploaded`,
    check.hint
  )
}
