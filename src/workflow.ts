import fs from 'node:fs'
import os from 'node:os'

/**
 * The runner's workflow commands, in the exact formats of @actions/core (a test holds them to it).
 * The action writes them itself because loading @actions/core pulls its HTTP client and undici
 * into every run — about 50 ms of start-up for two dozen lines of protocol. @actions/core is still
 * used, loaded lazily, where it does real work (requesting an OIDC ID token).
 */

/** `INPUT_<NAME>` as the runner sets it (spaces → `_`, upper case); not trimmed. */
export function getInput(name: string): string {
  return process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? ''
}

/** Masks, in one write to stdout. */
export function setSecrets(secrets: string[]): void {
  process.stdout.write(secrets.map((secret) => commandLine('add-mask', {}, secret)).join(''))
}

export function info(message: string): void {
  process.stdout.write(`${message}${os.EOL}`)
}

export function warning(message: string): void {
  command('warning', {}, message)
}

/** The failure annotation, and a failing exit code (set, not exited: stdout must drain). */
export function setFailed(message: string): void {
  process.exitCode = 1
  command('error', {}, message)
}

export function startGroup(name: string): void {
  command('group', {}, name)
}

export function endGroup(): void {
  command('endgroup', {}, '')
}

/** Outputs, in one append to the output file (one write, not one per output). */
export function setOutputs(values: Record<string, string>): void {
  if (process.env['GITHUB_OUTPUT']) {
    appendEntries('GITHUB_OUTPUT', Object.entries(values))
    return
  }
  for (const [name, value] of Object.entries(values)) {
    process.stdout.write(os.EOL)
    command('set-output', { name }, value)
  }
}

export function saveState(name: string, value: string): void {
  if (process.env['GITHUB_STATE']) appendEntries('GITHUB_STATE', [[name, value]])
  else command('save-state', { name }, value)
}

/** Appends markdown to the job summary; no summary file (outside a runner) → nothing. */
export function appendSummary(markdown: string): void {
  const file = process.env['GITHUB_STEP_SUMMARY']
  if (file) fs.appendFileSync(file, markdown, { encoding: 'utf8' })
}

function command(name: string, properties: Record<string, string>, message: string): void {
  process.stdout.write(commandLine(name, properties, message))
}

function commandLine(name: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',')
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${os.EOL}`
}

/** `name<<delimiter` heredocs, appended to a file command in one write. */
function appendEntries(fileVariable: string, entries: [string, string][]): void {
  const file = process.env[fileVariable] as string
  fs.appendFileSync(file, entries.map(([name, value]) => heredoc(name, value)).join(''), {
    encoding: 'utf8'
  })
}

function heredoc(name: string, value: string): string {
  const delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`Unexpected input: the value of ${name} contains the delimiter ${delimiter}`)
  }
  return `${name}<<${delimiter}${os.EOL}${value}${os.EOL}${delimiter}${os.EOL}`
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
