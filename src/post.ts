import { scrubOwnEnviron } from './own-environ.js'
import { scrubLeftovers } from './scrub.js'
import { STATE } from './state.js'

/**
 * Post step (`post-if: always()`): remove whatever main left, even after a SIGKILL. Only warns.
 *
 * Its two runner interactions (reading its state, a warning) are written out here rather than
 * loaded from @actions/core, which pulls in undici at once: 76 ms and 1 MB for a step that must
 * stay under 100 ms and the bundle under 1.5 MB. The formats are core's (a test compares them).
 */
export function post(): void {
  // The runner hands the inputs to the post step too: out of its environment block at once.
  const token = (process.env['INPUT_TOKEN'] ?? '').trim()
  if (token) scrubOwnEnviron([token])
  const dir = process.env[`STATE_${STATE.credentialsDir}`] ?? ''
  try {
    const outcome = scrubLeftovers(dir)
    if (outcome === 'removed') process.stdout.write(`Removed leftover private directory ${dir}\n`)
    if (outcome === 'refused')
      warning(`Not removing ${dir}: it is not a private directory of this action`)
  } catch (error) {
    warning(`Could not remove ${dir}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** `core.warning(message)`, as @actions/core writes it. */
export function warning(message: string): void {
  const data = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  process.stdout.write(`::warning::${data}\n`)
}
