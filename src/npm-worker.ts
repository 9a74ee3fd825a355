import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { childEnv } from './npm-env.js'
import { findNpm, type NpmInstall } from './npm-install.js'

/**
 * npm processes for the action's own npm commands (publish, pack, --version). Each runs the
 * wrapper `npm-with-token.cjs`, which loads npm's code at once and then waits on its stdin for
 * one job (argv, cwd, and the token if any): a spare started early has npm loaded by the time the
 * checks are done. A spare never holds a token before its job, and one that has seen package code
 * run (a lifecycle script) is discarded, never used.
 */
export interface NpmJob {
  argv: string[]
  cwd: string
  token?: string
  /** The npm of a provenance publish keeps the ID-token request variables. */
  idToken?: boolean
}

export interface NpmResult {
  exitCode: number
  signal?: NodeJS.Signals
  stdout: string
  stderr: string
}

interface Worker {
  child: ChildProcess
  idToken: boolean
  result: Promise<NpmResult>
}

let spare: Worker | undefined
/** npm processes this run started, and how many of them were spares nobody used (for the log). */
export const started = { processes: 0, unused: 0 }

/** The wrapper beside the bundle (dist/npm-with-token.cjs; src/ in the unit tests). */
function wrapper(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'npm-with-token.cjs')
}

function start(install: NpmInstall, idToken: boolean): Worker {
  started.processes++
  const child = spawn(install.node, [wrapper(), install.cli], {
    cwd: path.dirname(install.cli),
    env: childEnv('npm', { idToken }),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true
  })
  child.stdin?.on('error', () => undefined) // a worker may exit before it reads
  const result = collect(child)
  void result.catch(() => undefined) // a spare nobody waits for must not crash the run
  return { child, idToken, result }
}

/** A spare npm, loading itself while the action does its checks (a hint: it may go unused). */
export function prewarm(idToken = false): void {
  if (spare) return
  try {
    spare = start(findNpm(), idToken)
  } catch {
    // no npm: the run says so where it needs one
  }
}

/** Ends the spare unused (before package code runs, and at the end of the run). */
export function discardSpare(): void {
  const worker = spare
  spare = undefined
  if (!worker) return
  started.unused++
  // It holds no token and has run nothing: stop it now rather than wait for it to finish loading.
  worker.child.kill('SIGKILL')
  worker.child.unref()
}

/** Runs one npm command: on the spare when it fits, else on a new worker. */
export async function runNpmJob(job: NpmJob): Promise<NpmResult> {
  const install = findNpm()
  const fits = spare && spare.idToken === Boolean(job.idToken) && spare.child.exitCode === null
  const worker = fits ? (spare as Worker) : start(install, Boolean(job.idToken))
  if (fits) spare = undefined
  worker.child.stdin?.end(JSON.stringify({ argv: job.argv, cwd: job.cwd, token: job.token ?? '' }))
  return worker.result
}

/**
 * Output and exit of a child; SIGINT/SIGTERM forwarded while it runs (to its group when it leads
 * one). A process the child left behind may hold its stdout open: 'close' is not waited for long.
 */
export function collect(child: ChildProcess, group = false): Promise<NpmResult> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    const forward = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return
      try {
        process.kill(group ? -child.pid : child.pid, signal)
      } catch {
        // already gone
      }
    }
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    const done = (): void => {
      process.removeListener('SIGINT', forward)
      process.removeListener('SIGTERM', forward)
    }
    child.on('error', (error) => {
      done()
      reject(error)
    })
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout?.destroy()
        child.stderr?.destroy()
      }, 1000).unref()
    })
    child.on('close', (code, signal) => {
      done()
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        signal: signal ?? undefined,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8')
      })
    })
  })
}
