// /proc readers for the hardening tests (Linux): what another process of the same user can see of
// the action and its children, and clean-up of the processes a test's own fixture started.
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'

/** `/proc/<pid>/environ` (empty when gone or unreadable). */
export function environOf(pid: number): Buffer {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`)
  } catch {
    return Buffer.alloc(0)
  }
}

/** `/proc/<pid>/cmdline` with the NULs as spaces ('' when gone). */
export function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

/** The parent pid from `/proc/<pid>/stat`, or undefined when gone. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
}

/** Every pid below `root` (children, grandchildren...). */
export function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const parent = parentOf(Number(name))
    if (parent !== undefined) parents.set(Number(name), parent)
  }
  const found: number[] = []
  const walk = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent === pid && !found.includes(child)) {
        found.push(child)
        walk(child)
      }
    }
  }
  walk(root)
  return found
}

/** Whether a process is running (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/** Kills the process whose pid the test's own fixture wrote to `file` (if it still runs). */
export function killPidFrom(file: string): void {
  if (!fs.existsSync(file)) return
  const pid = Number(fs.readFileSync(file, 'utf8').trim())
  if (!Number.isSafeInteger(pid) || pid <= 1) return
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/**
 * Every run of 8+ consecutive characters of `secret` found in `text` (the runner masks whole
 * secrets only: a fragment is a leak).
 */
export function fragmentsOf(secret: string, text: string, min = 8): string[] {
  const found = new Set<string>()
  for (let i = 0; i + min <= secret.length; i++) {
    const piece = secret.slice(i, i + min)
    if (text.includes(piece)) found.add(piece)
  }
  return [...found]
}

/**
 * An `onMainStart` for runs that must end quickly: a step still running after `ms` is killed (by
 * its own pid), so a hang fails the test without leaving the process behind.
 */
export function killAfter(ms: number): (child: ChildProcess) => void {
  return (child) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms)
    child.once('exit', () => clearTimeout(timer))
  }
}
