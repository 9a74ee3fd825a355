import * as core from '@actions/core'
import { cancelled, exitCodeFor, watchSignals } from './cancel.js'
import { PrivateDir } from './credentials.js'
import { PublishError, errorMessage, isPublishError } from './errors.js'
import { getOptions, type Options } from './inputs.js'
import { checkBuiltinConfig, findNpm } from './npm-install.js'
import { discardSpare, started } from './npm-worker.js'
import { chooseAuth } from './oidc.js'
import { emptyRun, newPackage, type Stage } from './outcome.js'
import { scrubOwnEnviron } from './own-environ.js'
import { preflight } from './preflight.js'
import { StageError, publishAll } from './publish.js'
import { RegistryClient } from './registry.js'
import { report } from './report.js'
import { checkRunnerFiles } from './runner-files.js'
import { loadTarget } from './target.js'

/**
 * The main step: inputs → the package(s) and the registry → one preflight → plan, scripts and
 * publish in order → report. A failure is thrown deep with its code and reported once, here.
 */
export async function main(): Promise<void> {
  watchSignals()
  const run = emptyRun()
  let client: RegistryClient | undefined
  let dir: PrivateDir | undefined
  let stage: Stage = 'inputs'
  try {
    const options = getOptions()
    scrubEnvironment(options)
    run.dryRun = options.dryRun
    run.validateOnly = options.validateOnly
    stage = 'runner'
    checkRunnerFiles()
    // npm is found (and fixed by absolute path) before any package code can run.
    const install = findNpm()
    checkBuiltinConfig(install)
    stage = 'package'
    // A .tgz is read from a private copy: the private dir exists from the start.
    if (options.packageKind === 'tarball') dir = PrivateDir.open()
    const target = await loadTarget(options, install, dir?.packs)
    const registry = target.registry.url
    run.registry = registry.href
    run.registrySource = target.registry.source
    core.info(`Registry: ${registry.href} (${target.registry.source}).`)
    for (const note of target.registry.notes)
      core.warning(note, { title: 'publishConfig.registry not used' })
    if (target.workspace && options.workspaces)
      run.workspace = { root: target.workspace.root, tool: target.workspace.tool }
    run.packages = target.packages.map((p) =>
      newPackage(p.manifest.name, p.manifest.version, p.where)
    )
    for (const skip of target.skipped) {
      run.packages.push({
        ...newPackage(skip.name, skip.version, skip.where),
        status: 'skipped',
        reason: `Skipped ${skip.name}@${skip.version}: ${skip.reason}.`
      })
    }
    stage = 'token'
    const names = target.packages.map((p) => p.manifest.name)
    const auth = await chooseAuth(options, registry, names[0])
    run.authPath = options.stage ? 'stage' : auth.method
    run.authReason = auth.reason
    client = new RegistryClient(registry, auth.method === 'token' ? options.token : undefined)
    const answers = await preflight(client, options, auth, names, run)
    stage = 'plan'
    const findings = (answers.verdict?.checks ?? []).filter((c) => c.status === 'fail')
    await publishAll({
      target,
      preflight: answers,
      run,
      install,
      openDir: () => (dir ??= PrivateDir.open()),
      ctx: { options, auth, client, registry, findings, workspace: options.workspaces }
    })
  } catch (error) {
    const { failed, at } = unwrap(error, stage)
    run.error = failed
    run.stage = at
  } finally {
    await client?.close()
    dir?.close()
    discardSpare()
    core.debug(
      `npm processes: ${started.processes} (${started.unused} started early and not needed)`
    )
  }
  const signal = cancelled()
  if (signal && run.error?.code !== 'CANCELLED') {
    run.error = new PublishError(
      'CANCELLED',
      `The run was cancelled (${signal})${run.error ? ` while: ${run.error.message}` : ''}`
    )
    run.stage = 'cancelled'
  }
  await report(run)
  if (signal) process.exitCode = exitCodeFor(signal)
}

/** The error to report and the stage it belongs to. */
function unwrap(error: unknown, stage: Stage): { failed: PublishError; at: Stage } {
  if (error instanceof StageError) {
    // A cancellation is reported as one, whichever stage it interrupted.
    const at = error.error.code === 'CANCELLED' ? 'cancelled' : error.stage
    return { failed: error.error, at }
  }
  const failed = isPublishError(error)
    ? error
    : new PublishError('PUBLISH_FAILED', `Unexpected error: ${errorMessage(error)}`)
  if (failed.code === 'CANCELLED') return { failed, at: 'cancelled' }
  if (stage === 'token' && failed.code === 'REGISTRY_UNREACHABLE') return { failed, at: 'registry' }
  if (stage === 'inputs' && failed.code === 'PACKAGE_INVALID') return { failed, at: 'package' }
  return { failed, at: stage }
}

/**
 * The token out of this process's own environment block (`/proc/<pid>/environ`, readable by every
 * process of the runner's user), before any child exists; a notice where that cannot be done.
 */
function scrubEnvironment(options: Options): void {
  const raw = process.env['INPUT_TOKEN'] ?? ''
  const secrets = [options.token, ...raw.split(/[\r\n]+/).map((line) => line.trim())].filter(
    (s) => s.length >= 4
  )
  const scrubbed = scrubOwnEnviron(secrets)
  if (scrubbed.result === 'unsupported') {
    core.notice(
      `The token stays in this step's initial environment (${scrubbed.reason}); see the README's security limits.`,
      { title: 'Environment not scrubbed' }
    )
  } else if (scrubbed.result === 'scrubbed') {
    core.debug(
      `Scrubbed ${scrubbed.variables.join(', ')} from the initial environment in ${scrubbed.ms.toFixed(1)} ms.`
    )
  }
}
