import * as core from '@actions/core'
import { errorMessage } from './errors.js'
import type { PackageOutcome, RunOutcome } from './outcome.js'
import { summaryFile } from './runner-files.js'
import { redact } from './secrets.js'
import { writeSummary } from './summary.js'

/** Every output, on every path; empty where not known. Names match action.yml. */
export function outputsOf(run: RunOutcome): Record<string, string> {
  const single = run.workspace ? undefined : run.packages[0]
  const published = run.packages.some((p) => p.status === 'published')
  const pick = (get: (p: PackageOutcome) => string): string => (single ? get(single) : '')
  return {
    published: String(published),
    id: single?.status === 'published' ? `${single.name}@${single.version}` : '',
    name: pick((p) => p.name),
    version: pick((p) => p.version),
    tag: pick((p) => p.tag),
    access: pick((p) => p.access),
    registry: run.registry,
    'dry-run': String(run.dryRun),
    integrity: pick((p) => p.integrity),
    shasum: pick((p) => p.shasum),
    // The registry's word: a version-shaped value can still carry a secret in its prerelease part.
    'old-version': redact(pick((p) => p.oldVersion)),
    type: pick((p) => p.type),
    'tag-moved': String(run.packages.some((p) => p.tagMoved)),
    packages: JSON.stringify(run.packages.map(packageOutput)),
    'token-user': run.tokenUser,
    'token-check': run.tokenCheck,
    'error-code': run.error?.code ?? '',
    'auth-path': run.authPath,
    'stage-id': pick((p) => p.stageId)
  }
}

/** One element of the `packages` output. */
export function packageOutput(p: PackageOutcome): Record<string, string | boolean> {
  return {
    name: p.name,
    version: p.version,
    published: p.status === 'published',
    status: p.status,
    tag: p.tag,
    type: p.type,
    integrity: p.integrity,
    'tag-moved': p.tagMoved,
    'error-code': p.error?.code ?? ''
  }
}

/**
 * Outputs, the job summary and the failure annotation(s): the run is reported once. A broken
 * output or summary file is a warning, never a second failure.
 */
export async function report(run: RunOutcome): Promise<void> {
  try {
    for (const [name, value] of Object.entries(outputsOf(run))) core.setOutput(name, value)
  } catch (error) {
    core.warning(`Could not write the outputs: ${errorMessage(error)}`)
  }
  const summary = summaryFile()
  if (summary.file) {
    try {
      await writeSummary(run)
    } catch (error) {
      core.warning(`Could not write the job summary: ${errorMessage(error)}`)
    }
  } else if (process.env['GITHUB_STEP_SUMMARY']) {
    core.warning(`No job summary: ${summary.problem}.`)
  }
  for (const p of run.packages) if (p.reason && !p.error) core.info(p.reason)
  if (!run.error) return
  process.exitCode = 1
  const failed = run.packages.filter((p) => p.error)
  if (run.workspace && failed.length > 0) {
    // One annotation per package that failed, each with its own code.
    for (const p of failed) {
      core.error(`${p.name}@${p.version}: ${p.error?.sentence ?? ''}`, { title: p.error?.code })
    }
    return
  }
  core.error(run.error.sentence, { title: run.error.code })
}
