import fs from 'node:fs'

/**
 * The runner hands the token to the step as `INPUT_TOKEN` in the process's initial environment,
 * which any process of the same user can read from `/proc/<pid>/environ` for as long as the step
 * runs. On Linux that block is ordinary memory of this process: overwrite, in place, the value of
 * every variable that holds a secret (through `/proc/self/mem`; env_start / env_end are fields 50
 * and 51 of `/proc/self/stat`), then read `/proc/self/environ` back to prove it took.
 *
 * Never throws: where it cannot be done (not Linux, an unexpected layout, no /proc) it says so.
 */
export type EnvironScrub =
  | { result: 'scrubbed'; variables: string[]; ms: number }
  | { result: 'clean'; ms: number }
  | { result: 'unsupported'; reason: string }

export function scrubOwnEnviron(secrets: readonly string[]): EnvironScrub {
  const started = performance.now()
  const wanted = secrets.filter((secret) => secret.length > 0).map((s) => Buffer.from(s))
  if (wanted.length === 0) return { result: 'clean', ms: 0 }
  if (process.platform !== 'linux') {
    return { result: 'unsupported', reason: `${process.platform} has no /proc/self/mem` }
  }
  let fd: number | undefined
  try {
    const [start, end] = environBounds(fs.readFileSync('/proc/self/stat', 'utf8'))
    const block = Buffer.alloc(end - start)
    fd = fs.openSync('/proc/self/mem', 'r+')
    if (fs.readSync(fd, block, 0, block.length, start) !== block.length) {
      return { result: 'unsupported', reason: 'the environment block could not be read whole' }
    }
    const variables: string[] = []
    for (const { name, valueStart, valueEnd } of entries(block)) {
      const value = block.subarray(valueStart, valueEnd)
      if (!wanted.some((secret) => value.includes(secret))) continue
      value.fill(0)
      fs.writeSync(fd, block, valueStart, valueEnd - valueStart, start + valueStart)
      variables.push(name)
    }
    const after = fs.readFileSync('/proc/self/environ')
    if (wanted.some((secret) => after.includes(secret))) {
      return {
        result: 'unsupported',
        reason: 'the overwrite did not take (/proc/self/environ still holds it)'
      }
    }
    const ms = performance.now() - started
    return variables.length ? { result: 'scrubbed', variables, ms } : { result: 'clean', ms }
  } catch (error) {
    return { result: 'unsupported', reason: error instanceof Error ? error.message : String(error) }
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/** env_start and env_end from `/proc/<pid>/stat` (fields 50 and 51; `comm` may hold spaces and parens). */
export function environBounds(stat: string): [number, number] {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state).
  const start = Number(fields[50 - 3])
  const end = Number(fields[51 - 3])
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start <= 0 || end <= start) {
    throw new Error('unexpected /proc/self/stat layout')
  }
  if (end - start > 16 * 1024 * 1024) throw new Error('environment block larger than 16 MiB')
  return [start, end]
}

/** `NAME=value\0` entries of an environment block, with the value's byte range. */
function* entries(
  block: Buffer
): Generator<{ name: string; valueStart: number; valueEnd: number }> {
  for (let at = 0; at < block.length;) {
    let end = block.indexOf(0, at)
    if (end < 0) end = block.length
    const equals = block.indexOf(0x3d, at) // '='
    if (equals > at && equals < end) {
      yield { name: block.toString('utf8', at, equals), valueStart: equals + 1, valueEnd: end }
    }
    at = end + 1
  }
}
