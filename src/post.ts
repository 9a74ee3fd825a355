import { scrubLeftovers } from './scrub.js'
import { savedCredentialsDir } from './state.js'

/** Post step (`post-if: always()`): remove whatever main left, even after a SIGKILL. Only warns. */
export function post(): void {
  const dir = savedCredentialsDir()
  try {
    const outcome = scrubLeftovers(dir)
    if (outcome === 'removed') console.log(`Removed leftover credentials directory ${dir}`)
    if (outcome === 'refused')
      warn(`Not removing ${dir}: it is not a credentials directory of this action`)
  } catch (error) {
    warn(`Could not remove ${dir}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** A `::warning::` workflow command, escaped as @actions/core does (not loaded here: post stays fast). */
function warn(message: string): void {
  const data = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  process.stdout.write(`::warning::${data}\n`)
}
