import type { ErrorCode } from '../../src/errors.js'

/** The error code `fn` throws, or undefined when it does not throw. */
export function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn()
  } catch (error) {
    return (error as { code?: ErrorCode }).code
  }
  return undefined
}
