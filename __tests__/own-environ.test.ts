/**
 * scrubOwnEnviron: the token leaves the process's initial environment block, which any process
 * of the same user reads from /proc/<pid>/environ. The scrub runs in a child node (Node 24 strips
 * the types of src/own-environ.ts, which imports nothing of ours) that waits while this process
 * reads its /proc entry before and after.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { environBounds, scrubOwnEnviron } from '../src/own-environ.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const MODULE = pathToFileURL(path.join(here, '..', 'src', 'own-environ.ts')).href
const SECRET = 'npm_0123456789abcdefghijABCDEFGHIJ0123'
const linux = process.platform === 'linux'

/**
 * The child: says `ready`, waits for `scrub`, scrubs the secrets it is given on stdin, prints the
 * result and what its process.env now returns, then waits for `exit`.
 */
const CHILD = `
import readline from 'node:readline'
const { scrubOwnEnviron } = await import(${JSON.stringify(MODULE)})
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const next = async () => (await lines.next()).value
console.log('ready')
const secrets = JSON.parse(await next())
const result = scrubOwnEnviron(secrets)
const env = Object.fromEntries(['INPUT_TOKEN', 'COPY', 'MULTILINE', 'KEEP', 'NEAR'].map((n) => [n, process.env[n] ?? null]))
console.log(JSON.stringify({ result, env }))
await next()
process.exit(0)
`

let child: ChildProcessWithoutNullStreams | undefined
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  child = undefined
})

function start(env: Record<string, string>) {
  child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const proc = child
  const lines = readline.createInterface({ input: proc.stdout })[Symbol.asyncIterator]()
  let stderr = ''
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return {
    pid: proc.pid as number,
    async line(): Promise<string> {
      const { value, done } = await lines.next()
      if (done) throw new Error(`child ended early: ${stderr}`)
      return value
    },
    send(text: string): void {
      proc.stdin.write(`${text}\n`)
    }
  }
}

function environOf(pid: number): Buffer {
  return fs.readFileSync(`/proc/${pid}/environ`)
}

/** NAME → value of an environ block (a scrubbed value reads as NUL bytes up to its old length). */
function entries(block: Buffer): Map<string, string> {
  const map = new Map<string, string>()
  for (const entry of block.toString('latin1').split('\0')) {
    const equals = entry.indexOf('=')
    if (equals > 0) map.set(entry.slice(0, equals), entry.slice(equals + 1))
  }
  return map
}

const describeLinux = linux ? describe : describe.skip

describeLinux('scrubOwnEnviron (Linux, in a child process)', () => {
  it('removes the token from /proc/<pid>/environ and from process.env, in every variable that holds it; others intact', async () => {
    const child = start({
      INPUT_TOKEN: SECRET,
      COPY: `before-${SECRET}-after`,
      MULTILINE: `first line\n  ${SECRET}\n`,
      KEEP: 'an ordinary value',
      NEAR: SECRET.slice(0, -1)
    })
    expect(await child.line()).toBe('ready')
    // Before: the block holds it, as the runner left it (the test can see what it asserts on).
    const before = entries(environOf(child.pid))
    expect(before.get('INPUT_TOKEN')).toBe(SECRET)
    expect(environOf(child.pid).includes(SECRET)).toBe(true)

    child.send(JSON.stringify([SECRET]))
    const { result, env } = JSON.parse(await child.line()) as {
      result: { result: string; variables?: string[] }
      env: Record<string, string | null>
    }
    const after = environOf(child.pid)
    expect(after.includes(SECRET)).toBe(false)
    expect(result.result).toBe('scrubbed')
    expect(result.variables?.sort()).toEqual(['COPY', 'INPUT_TOKEN', 'MULTILINE'])
    // The block keeps its size and layout: the values are overwritten in place.
    expect(after.length).toBe(environOf(child.pid).length)
    const parsed = entries(after)
    // Each value that held it is NUL bytes now, the whole value (no part of it left to read).
    for (const name of ['INPUT_TOKEN', 'COPY', 'MULTILINE']) expect(parsed.get(name)).toBe('')
    expect(parsed.get('KEEP')).toBe('an ordinary value')
    expect(parsed.get('NEAR')).toBe(SECRET.slice(0, -1))
    expect(parsed.get('PATH')).toBe(process.env['PATH'] ?? '')
    // process.env reads the same block: the overwritten values read as empty.
    expect(env).toEqual({
      INPUT_TOKEN: '',
      COPY: '',
      MULTILINE: '',
      KEEP: 'an ordinary value',
      NEAR: SECRET.slice(0, -1)
    })
    child.send('exit')
  })

  it('says clean when no variable holds the secret, and changes nothing', async () => {
    const child = start({ KEEP: 'an ordinary value' })
    expect(await child.line()).toBe('ready')
    const before = environOf(child.pid)
    child.send(JSON.stringify([SECRET, '']))
    const { result } = JSON.parse(await child.line()) as { result: { result: string } }
    expect(result.result).toBe('clean')
    expect(environOf(child.pid).equals(before)).toBe(true)
    child.send('exit')
  })
})

describe('scrubOwnEnviron without a secret or off Linux', () => {
  const platform = Object.getOwnPropertyDescriptor(process, 'platform') as PropertyDescriptor
  afterEach(() => {
    Object.defineProperty(process, 'platform', platform)
  })

  it('has nothing to do without a secret', () => {
    expect(scrubOwnEnviron([])).toEqual({ result: 'clean', ms: 0 })
    expect(scrubOwnEnviron([''])).toEqual({ result: 'clean', ms: 0 })
  })

  it.each(['darwin', 'win32'])('says unsupported on %s (no /proc/self/mem)', (name) => {
    Object.defineProperty(process, 'platform', { ...platform, value: name })
    expect(scrubOwnEnviron([SECRET])).toEqual({
      result: 'unsupported',
      reason: `${name} has no /proc/self/mem`
    })
  })
})

describe('environBounds', () => {
  /** A /proc/<pid>/stat line: pid, (comm), then fields 3…52 with env_start / env_end at 50 / 51. */
  function statLine(comm: string, start = 140737488347000, end = 140737488349000): string {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3))
    fields[0] = 'S'
    fields[50 - 3] = String(start)
    fields[51 - 3] = String(end)
    return `4242 (${comm}) ${fields.join(' ')}\n`
  }

  it('reads fields 50 and 51, whatever spaces and parentheses the command name holds', () => {
    for (const comm of ['node', 'my proc', 'a) b (c', ') ) 1 2 3 (', '((x))']) {
      expect(environBounds(statLine(comm))).toEqual([140737488347000, 140737488349000])
    }
  })

  it('reads this process’s own stat line', () => {
    if (!linux) return
    const [start, end] = environBounds(fs.readFileSync('/proc/self/stat', 'utf8'))
    expect(end).toBeGreaterThan(start)
  })

  it('refuses an unexpected layout or an implausible block', () => {
    expect(() => environBounds('4242 (node) S 1 2 3')).toThrow('unexpected /proc/self/stat layout')
    expect(() => environBounds(statLine('node', 2000, 1000))).toThrow('unexpected')
    expect(() => environBounds(statLine('node', 0, 1000))).toThrow('unexpected')
    expect(() => environBounds(statLine('node', 1000, 1000 + 17 * 1024 * 1024))).toThrow(
      'larger than 16 MiB'
    )
  })
})
