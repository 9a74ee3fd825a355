import fs from 'node:fs'
import path from 'node:path'
import which from 'which'

/** What the fake npm saw of one npm command the action ran. */
export interface NpmCall {
  /** npm's argv after `npm-cli.js` (as the action handed it over). */
  argv: string[]
  /** The names of the ID-token request variables in npm's environment (never their values). */
  idTokenVars: string[]
}

export interface FakeNpm {
  /** Put this first on PATH. */
  bin: string
  calls(): NpmCall[]
}

/**
 * An npm install the action finds on PATH (`bin/npm` with `bin/npm-cli.js` beside it) whose
 * npm-cli.js records the argv and the ID-token variable names of each command, then runs the real
 * npm in the same process (its lib/, node_modules/ and package.json are links to the real ones).
 *
 * `version`: answers `npm --version` with it (an npm too old for a feature). `noProvenance`:
 * `--provenance` is recorded, then replaced with `--provenance=false` before the real npm runs
 * (signing would need sigstore's public servers; the command line outranks publishConfig).
 */
export function fakeNpm(
  root: string,
  options: { version?: string; noProvenance?: boolean } = {}
): FakeNpm {
  const realCli = fs.realpathSync(which.sync('npm'))
  const realRoot = path.dirname(path.dirname(realCli))
  const npmRoot = path.join(root, 'fake-npm')
  const bin = path.join(npmRoot, 'bin')
  const log = path.join(root, 'fake-npm-calls.jsonl')
  fs.mkdirSync(bin, { recursive: true })
  for (const entry of ['lib', 'node_modules', 'package.json']) {
    fs.symlinkSync(path.join(realRoot, entry), path.join(npmRoot, entry))
  }
  fs.writeFileSync(
    path.join(bin, 'npm'),
    '#!/bin/sh\nexec node "$(dirname "$0")/npm-cli.js" "$@"\n',
    { mode: 0o755 }
  )
  fs.writeFileSync(
    path.join(bin, 'npm-cli.js'),
    `'use strict'
const fs = require('node:fs')
const argv = process.argv.slice(2)
const idTokenVars = Object.keys(process.env).filter((k) => k.startsWith('ACTIONS_ID_TOKEN_REQUEST_')).sort()
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv, idTokenVars }) + '\\n')
const version = ${JSON.stringify(options.version ?? '')}
if (version && argv[0] === '--version') {
  process.stdout.write(version + '\\n')
} else {
  if (${JSON.stringify(Boolean(options.noProvenance))}) {
    process.argv = process.argv.map((a) => (a === '--provenance' ? '--provenance=false' : a))
  }
  require(${JSON.stringify(realCli)})
}
`
  )
  return {
    bin,
    calls: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as NpmCall)
        : []
  }
}
