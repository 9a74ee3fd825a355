import fs from 'node:fs'

/**
 * Every lifecycle script runs in a process group of its own and carries a marker variable that
 * its descendants inherit. Once it has exited, whatever it left running is killed — the group at
 * once, and (on Linux) every process whose initial environment holds the marker, which catches
 * what left the group too (`setsid`, double forks, `nohup`). A process that also dropped its
 * environment (`env -i`) escapes the scan; the README says so.
 */
export const SCRIPT_MARKER = 'NPM_AUTOMATION_PUBLISH_SCRIPT_RUN'

export interface Killed {
  /** Processes signalled by the /proc scan. */
  pids: number[]
  ms: number
}

export function killLeftovers(group: number | undefined, marker: string): Killed {
  const started = performance.now()
  if (group !== undefined && group > 0) signal(-group)
  const pids: number[] = []
  if (process.platform === 'linux') {
    // A process may fork while the first pass kills: look until a pass finds nothing.
    for (let pass = 0; pass < 5; pass++) {
      const found = markedProcesses(marker).filter((pid) => !pids.includes(pid))
      if (found.length === 0) break
      for (const pid of found) signal(pid)
      pids.push(...found)
    }
  }
  return { pids, ms: performance.now() - started }
}

/** Pids (not this process) whose /proc environ holds the entry `SCRIPT_MARKER=<marker>`. */
export function markedProcesses(marker: string): number[] {
  const entry = Buffer.from(`${SCRIPT_MARKER}=${marker}`)
  // A whole entry: at the start of the block or after a NUL, up to a NUL or the block's end.
  const needle = Buffer.concat([Buffer.from([0]), entry, Buffer.from([0])])
  let names: string[]
  try {
    names = fs.readdirSync('/proc')
  } catch {
    return []
  }
  const found: number[] = []
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    const pid = Number(name)
    if (pid === process.pid) continue
    let environ: Buffer
    try {
      environ = fs.readFileSync(`/proc/${name}/environ`)
    } catch {
      continue // gone, or another user's
    }
    const framed = Buffer.concat([Buffer.from([0]), environ, Buffer.from([0])])
    if (framed.includes(needle)) found.push(pid)
  }
  return found
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
