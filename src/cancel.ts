import { PublishError } from './errors.js'

/**
 * SIGINT / SIGTERM (a cancelled job): remembered, handed to whoever cleans up, and the run winds
 * down to report a cancellation with the exit code the shell convention gives (130 / 143). npm
 * and lifecycle scripts get the signal forwarded by the spawner.
 */
let received: NodeJS.Signals | undefined
const cleanups = new Set<() => void>()

export function watchSignals(): void {
  const handle = (signal: NodeJS.Signals): void => {
    if (received) return
    received = signal
    process.exitCode = exitCodeFor(signal)
    for (const cleanup of cleanups) cleanup()
    // If the run does not wind down by itself, leave once stdout has drained.
    setTimeout(() => process.stdout.write('', () => process.exit()), 5000).unref()
  }
  process.on('SIGINT', handle)
  process.on('SIGTERM', handle)
}

/** Runs `cleanup` on a signal; returns the function that unregisters it. */
export function onCancel(cleanup: () => void): () => void {
  cleanups.add(cleanup)
  return () => void cleanups.delete(cleanup)
}

export function cancelled(): NodeJS.Signals | undefined {
  return received
}

export function exitCodeFor(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : 143
}

/** Throws the cancellation when a signal arrived: nothing more is started after it. */
export function throwIfCancelled(during: string): void {
  if (!received) return
  throw new PublishError(
    'CANCELLED',
    `The run was cancelled (${received}) ${during}`,
    during.includes('upload')
      ? 'The upload may or may not have landed: re-run the job; it publishes what is missing and leaves what landed alone.'
      : undefined
  )
}
