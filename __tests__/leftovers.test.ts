/**
 * killLeftovers: what a lifecycle script leaves running is killed once it exits — its process
 * group, and every process whose initial environment carries the run's marker (what left the
 * group: setsid, a double fork, nohup). A process that also dropped its environment escapes: the
 * documented limit, asserted here so that a change in it is noticed.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { SCRIPT_MARKER, killLeftovers, markedProcesses } from '../src/leftovers.js'

const linux = process.platform === 'linux'
const describeLinux = linux ? describe : describe.skip

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-leftovers-'))
/** Prints `<label> <pid>` and becomes a long sleep (stdout let go, so the pipe can close). */
const LEAF = path.join(sandbox, 'leaf.sh')
fs.writeFileSync(LEAF, 'echo "$1 $$"\nexec sleep 300 >/dev/null 2>&1 </dev/null\n')

const started: number[] = []
afterAll(() => {
  // Whatever survived (the escapees by design): ours, by pid.
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL')
  fs.rmSync(sandbox, { recursive: true, force: true })
})

/** Running (not gone, not a zombie waiting for a reaper). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))
  } catch {
    return false
  }
}

async function until(check: () => boolean, ms = 3000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return check()
}

/**
 * Runs `script` as npm runs a lifecycle script: `sh -c` in a process group of its own, with the
 * marker in its environment. Resolves once the shell has exited and every `label pid` is in.
 */
async function runScript(
  script: string,
  labels: string[],
  marker: string
): Promise<{ group: number; pids: Record<string, number> }> {
  const child = spawn('sh', ['-c', script], {
    detached: true,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', [SCRIPT_MARKER]: marker },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const group = child.pid as number
  started.push(group)
  const exited = new Promise((resolve) => child.on('exit', resolve))
  const pids: Record<string, number> = {}
  for await (const line of readline.createInterface({ input: child.stdout })) {
    const [label, pid] = line.split(' ')
    pids[label] = Number(pid)
    started.push(Number(pid))
    if (labels.every((l) => l in pids)) break
  }
  await exited
  return { group, pids }
}

describeLinux('killLeftovers', () => {
  it('kills what the script left behind: in its group, after setsid, a double fork, nohup', async () => {
    const marker = crypto.randomUUID()
    const { group, pids } = await runScript(
      [
        `sh ${LEAF} plain &`,
        `setsid sh ${LEAF} setsid &`,
        `sh -c 'sh ${LEAF} double &' &`,
        `nohup sh ${LEAF} nohup 2>/dev/null &`,
        `setsid sh -c 'sh ${LEAF} setsid-double &' &`
      ].join('\n'),
      ['plain', 'setsid', 'double', 'nohup', 'setsid-double'],
      marker
    )
    // The script (its shell) is gone; what it started runs on, and carries the marker.
    for (const pid of Object.values(pids)) expect(alive(pid)).toBe(true)
    expect(markedProcesses(marker).sort()).toEqual(expect.arrayContaining(Object.values(pids)))

    const killed = killLeftovers(group, marker)
    // The scan found the ones outside the group (the group signal took the rest).
    expect(killed.pids).toEqual(expect.arrayContaining([pids['setsid'], pids['setsid-double']]))
    for (const [label, pid] of Object.entries(pids)) {
      expect([label, await until(() => !alive(pid))]).toEqual([label, true])
    }
    expect(markedProcesses(marker).filter(alive)).toEqual([])
  })

  it('misses a process that dropped its environment (env -i) and left the group: the documented limit', async () => {
    const marker = crypto.randomUUID()
    const { group, pids } = await runScript(
      `env -i setsid sh ${LEAF} escapee &\nsh ${LEAF} caught &`,
      ['escapee', 'caught'],
      marker
    )
    killLeftovers(group, marker)
    expect(await until(() => !alive(pids['caught']))).toBe(true)
    // Still running: no marker to find, no group to signal.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(alive(pids['escapee'])).toBe(true)
    expect(fs.readFileSync(`/proc/${pids['escapee']}/environ`).includes(marker)).toBe(false)
    process.kill(pids['escapee'], 'SIGKILL')
  })

  it('kills only whole marker entries: another run’s marker, or a look-alike name, is left alone', async () => {
    const marker = crypto.randomUUID()
    const { group, pids } = await runScript(
      [
        `${SCRIPT_MARKER}=${marker}0 setsid sh ${LEAF} longer &`,
        `env -u ${SCRIPT_MARKER} X${SCRIPT_MARKER}=${marker} setsid sh ${LEAF} lookalike &`,
        `setsid sh ${LEAF} ours &`
      ].join('\n'),
      ['longer', 'lookalike', 'ours'],
      marker
    )
    const killed = killLeftovers(group, marker)
    expect(killed.pids).toEqual([pids['ours']])
    expect(await until(() => !alive(pids['ours']))).toBe(true)
    expect(alive(pids['longer'])).toBe(true)
    expect(alive(pids['lookalike'])).toBe(true)
    process.kill(pids['longer'], 'SIGKILL')
    process.kill(pids['lookalike'], 'SIGKILL')
  })
})

describeLinux('markedProcesses', () => {
  it('never returns the process that asks, even when it carries the marker itself', async () => {
    // A node child with the marker in its initial environment scans for it: it finds its
    // sibling, never itself. (src/leftovers.ts imports nothing of ours: Node 24 strips its types.)
    const here = path.dirname(fileURLToPath(import.meta.url))
    const module = pathToFileURL(path.join(here, '..', 'src', 'leftovers.ts')).href
    const marker = crypto.randomUUID()
    const sibling = spawn('sh', [LEAF, 'sibling'], {
      env: { [SCRIPT_MARKER]: marker, PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    started.push(sibling.pid as number)
    for await (const line of readline.createInterface({ input: sibling.stdout })) {
      if (line.startsWith('sibling')) break
    }
    const scan = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { markedProcesses } = await import(${JSON.stringify(module)})
         console.log(JSON.stringify({ self: process.pid, found: markedProcesses(${JSON.stringify(marker)}) }))`
      ],
      { env: { [SCRIPT_MARKER]: marker, PATH: process.env['PATH'] ?? '' } }
    )
    let out = ''
    scan.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    await new Promise((resolve) => scan.on('close', resolve))
    const { self, found } = JSON.parse(out) as { self: number; found: number[] }
    expect(found).toEqual([sibling.pid])
    expect(found).not.toContain(self)
    // And in this process, which carries no marker: the two children, never itself.
    expect(markedProcesses(marker)).not.toContain(process.pid)
    sibling.kill('SIGKILL')
  })
})
