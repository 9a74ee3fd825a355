// Runs the built action the way the GitHub runner does: `node dist/index.js` with INPUT_* (declared
// defaults filled in), GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV / GITHUB_STEP_SUMMARY files and
// RUNNER_TEMP; then the post step with STATE_<name> taken from the state file.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const ACTION = path.join(ROOT, 'dist', 'index.js')

/** The files action.yml names for the main and the post step. */
function stepFiles() {
  const { runs } = actionManifest()
  return { main: path.join(ROOT, runs.main), post: path.join(ROOT, runs.post) }
}

/** action.yml, parsed. */
export function actionManifest() {
  return parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'))
}

/** Every sandbox made in this process, for `removeSandboxes`. */
const sandboxes = new Set()

/** Removes every sandbox this process made (tests call it in afterAll; leaves nothing behind). */
export function removeSandboxes() {
  for (const root of sandboxes) fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 })
  sandboxes.clear()
}

/** A fresh runner sandbox: temp dir, home, workspace and the command files. */
export function makeSandbox(prefix = 'nap-run-') {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  sandboxes.add(root)
  const dirs = {
    root,
    runnerTemp: path.join(root, 'runner-temp'),
    home: path.join(root, 'home'),
    workspace: path.join(root, 'workspace')
  }
  for (const dir of [dirs.runnerTemp, dirs.home, dirs.workspace]) fs.mkdirSync(dir)
  return dirs
}

/** Parses the runner's file-command format (`name<<delimiter` heredocs, or `name=value`). */
export function parseCommandFile(file) {
  const values = {}
  if (!fs.existsSync(file)) return values
  const lines = fs.readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const body = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i])
      values[heredoc[1]] = body.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      values[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return values
}

function inputEnv(inputs) {
  const env = {}
  const declared = actionManifest().inputs
  for (const [name, spec] of Object.entries(declared)) {
    if (spec.default !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(spec.default)
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (value !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(value)
  }
  return env
}

/**
 * Spawns one step. `onStart(child)` may signal it (a cancelled job).
 * @returns {Promise<{exitCode: number|null, signal: string|null, stdout: string, stderr: string, ms: number}>}
 */
export function runStep(env, cwd, onStart, file = ACTION) {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (exitCode, signal) =>
      resolve({
        exitCode,
        signal,
        stdout,
        stderr,
        ms: performance.now() - started,
        spawnedAt: performance.timeOrigin + started,
        closedAt: performance.timeOrigin + performance.now()
      })
    )
    onStart?.(child)
  })
}

/**
 * Runs main, then post, as the runner would.
 * @param {{inputs: Record<string, string|undefined>, sandbox?: ReturnType<typeof makeSandbox>,
 *   env?: Record<string,string>, onMainStart?: (child: import('node:child_process').ChildProcess) => void,
 *   skipPost?: boolean}} options
 */
export async function runAction({
  inputs,
  sandbox = makeSandbox(),
  env = {},
  onMainStart,
  skipPost
}) {
  const files = {
    output: path.join(sandbox.runnerTemp, '_runner_file_commands', 'set_output'),
    state: path.join(sandbox.runnerTemp, '_runner_file_commands', 'save_state'),
    env: path.join(sandbox.runnerTemp, '_runner_file_commands', 'set_env'),
    path: path.join(sandbox.runnerTemp, '_runner_file_commands', 'add_path'),
    summary: path.join(sandbox.runnerTemp, '_runner_file_commands', 'step_summary')
  }
  fs.mkdirSync(path.dirname(files.output), { recursive: true })
  for (const file of Object.values(files)) fs.writeFileSync(file, '')
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: sandbox.home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: sandbox.runnerTemp,
    RUNNER_ENVIRONMENT: 'self-hosted',
    GITHUB_WORKSPACE: sandbox.workspace,
    GITHUB_REPOSITORY: 'octo/repo',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
    ...inputEnv(inputs),
    ...env
  }
  const steps = stepFiles()
  const main = await runStep(baseEnv, sandbox.workspace, onMainStart, steps.main)
  const state = parseCommandFile(files.state)
  let post
  if (!skipPost) {
    const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
    post = await runStep({ ...baseEnv, ...stateEnv }, sandbox.workspace, undefined, steps.post)
  }
  return {
    main,
    post,
    state,
    outputs: parseCommandFile(files.output),
    summary: fs.readFileSync(files.summary, 'utf8'),
    files,
    sandbox
  }
}

/** A package directory with the given package.json fields (and extra files). */
export function writePackage(dir, manifest, files = {}) {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    `module.exports = ${JSON.stringify(manifest.name)}\n`
  )
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}
