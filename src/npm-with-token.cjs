'use strict'
// Starts npm in this process with the token in its memory only, never in its environment block:
//
//   node npm-with-token.cjs <path to npm-cli.js> <npm arguments...>    (the token on stdin)
//
// The token arrives on stdin and is set with setenv(), which /proc/<pid>/environ (the initial
// environment) does not show; npm's config expands ${NPM_AUTOMATION_PUBLISH_TOKEN} from it.
// Any child npm starts gets an environment without it. Copied to dist/ next to the bundle.
const fs = require('node:fs')
const path = require('node:path')
const childProcess = require('node:child_process')

const VARIABLE = 'NPM_AUTOMATION_PUBLISH_TOKEN'

function readStdin() {
  const chunks = []
  const buffer = Buffer.alloc(4096)
  for (;;) {
    let n
    try {
      n = fs.readSync(0, buffer, 0, buffer.length, null)
    } catch (error) {
      if (error.code === 'EAGAIN') continue
      if (error.code === 'EOF') break
      throw error
    }
    if (n === 0) break
    chunks.push(Buffer.from(buffer.subarray(0, n)))
  }
  return Buffer.concat(chunks).toString('utf8')
}

function withoutToken(env) {
  const copy = { ...(env || process.env) }
  delete copy[VARIABLE]
  return copy
}

// Every way npm could start a process: none of them passes the token on.
const { ChildProcess } = childProcess
const spawn = ChildProcess.prototype.spawn
ChildProcess.prototype.spawn = function (options) {
  if (options && Array.isArray(options.envPairs)) {
    options.envPairs = options.envPairs.filter((pair) => !pair.startsWith(`${VARIABLE}=`))
  }
  return spawn.call(this, options)
}
childProcess.execSync = ((original) =>
  function (command, options) {
    return original.call(this, command, { ...(options || {}), env: withoutToken(options && options.env) })
  })(childProcess.execSync)
for (const name of ['spawnSync', 'execFileSync']) {
  const original = childProcess[name]
  childProcess[name] = function (file, args, options) {
    // (file, options) and (file, args, options) forms.
    if (!Array.isArray(args)) {
      return original.call(this, file, { ...(args || {}), env: withoutToken(args && args.env) })
    }
    return original.call(this, file, args, { ...(options || {}), env: withoutToken(options && options.env) })
  }
}

const cli = process.argv[2]
const token = readStdin()
if (token) {
  process.env[VARIABLE] = token
  // npm expands ${VAR} in its .npmrc while it loads its config, and reads it never again: drop it
  // from process.env as soon as the config is loaded.
  try {
    const Config = require(path.join(path.dirname(cli), '..', 'node_modules', '@npmcli', 'config'))
    const load = Config.prototype.load
    Config.prototype.load = async function (...args) {
      try {
        return await load.apply(this, args)
      } finally {
        delete process.env[VARIABLE]
      }
    }
  } catch {
    // another npm layout: the variable stays in this process's memory; no child gets it
  }
}
// npm sees itself started as `node npm-cli.js <args>`.
process.argv = [process.argv[0], cli, ...process.argv.slice(3)]
require(cli)
