import { jest } from '@jest/globals'

/** Records what is written to stdout (instead of printing it) until jest.restoreAllMocks(). */
export function captureStdout(): string[] {
  const written: string[] = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
  return written
}
