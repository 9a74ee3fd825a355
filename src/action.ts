import * as workflow from './workflow.js'
import { PublishError, errorMessage, isPublishError } from './errors.js'
import { getOptions } from './inputs.js'
import { emptyOutcome, publishPackage } from './publish.js'
import { setOutputs, writeSummary } from './report.js'

/** The main step: inputs → publish → outputs and summary; a failure is reported once, here. */
export async function main(): Promise<void> {
  const outcome = emptyOutcome()
  try {
    const options = getOptions()
    await publishPackage(options, outcome)
    workflow.info(outcome.result)
  } catch (error) {
    outcome.error = isPublishError(error)
      ? error
      : new PublishError('PUBLISH_FAILED', `Unexpected error: ${errorMessage(error)}`)
  }
  // Reporting must not hide the outcome: a broken output or summary file is a warning.
  for (const [what, report] of [
    ['outputs', () => setOutputs(outcome)],
    ['job summary', () => writeSummary(outcome)]
  ] as const) {
    try {
      report()
    } catch (error) {
      workflow.warning(`Could not write the ${what}: ${errorMessage(error)}`)
    }
  }
  if (outcome.error) workflow.setFailed(outcome.error.report)
}
