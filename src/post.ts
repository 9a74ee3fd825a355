import { scrubLeftovers } from './scrub.js'
import { savedCredentialsDir } from './state.js'
import { info, warning } from './workflow.js'

/** Post step (`post-if: always()`): remove whatever main left, even after a SIGKILL. Only warns. */
export function post(): void {
  const dir = savedCredentialsDir()
  try {
    const outcome = scrubLeftovers(dir)
    if (outcome === 'removed') info(`Removed leftover credentials directory ${dir}`)
    if (outcome === 'refused')
      warning(`Not removing ${dir}: it is not a credentials directory of this action`)
  } catch (error) {
    warning(`Could not remove ${dir}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
