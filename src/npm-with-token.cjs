'use strict'
// Runs one npm command in this process, with the token in its memory only, never in its
// environment block:
//
//   node npm-with-token.cjs <path to npm-cli.js>        then, on stdin: {"argv", "cwd", "token"}
//
// It loads npm's code first and then waits for its job on stdin, so the action can start it early
// and npm's start-up overlaps the action's own checks. No job (stdin closed empty) → exit 0.
// The token is set with setenv(), which /proc/<pid>/environ (the initial environment) does not
// show; npm's config expands ${NPM_AUTOMATION_PUBLISH_TOKEN} from it while it loads, after which
// the variable is deleted. No child npm starts gets it. Copied to dist/ next to the bundle.
const fs = require('node:fs')
const path = require('node:path')
const childProcess = require('node:child_process')

const VARIABLE = 'NPM_AUTOMATION_PUBLISH_TOKEN'
const cli = process.argv[2]
const npmRoot = path.join(path.dirname(cli), '..')

// Every way npm could start a process: none of them passes the token on.
function withoutToken(env) {
  const copy = { ...(env || process.env) }
  delete copy[VARIABLE]
  return copy
}
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
    return original.call(this, command, {
      ...(options || {}),
      env: withoutToken(options && options.env)
    })
  })(childProcess.execSync)
for (const name of ['spawnSync', 'execFileSync']) {
  const original = childProcess[name]
  childProcess[name] = function (file, args, options) {
    // (file, options) and (file, args, options) forms.
    if (!Array.isArray(args)) {
      return original.call(this, file, { ...(args || {}), env: withoutToken(args && args.env) })
    }
    return original.call(this, file, args, {
      ...(options || {}),
      env: withoutToken(options && options.env)
    })
  }
}

// npm's own modules for a publish or a pack, loaded before the job arrives (where they exist).
for (const module of [
  'lib/cli/entry.js',
  'lib/npm.js',
  'lib/commands/publish.js',
  'lib/utils/error-message.js',
  'node_modules/@npmcli/package-json',
  'node_modules/npm-registry-fetch',
  'node_modules/pacote',
  'node_modules/libnpmpack',
  'node_modules/libnpmpublish'
]) {
  try {
    require(path.join(npmRoot, module))
  } catch {
    // another npm layout: npm loads it itself
  }
}

function readStdin() {
  const chunks = []
  const buffer = Buffer.alloc(65536)
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

const message = readStdin()
if (!message.trim()) process.exit(0)
const job = JSON.parse(message)
process.chdir(job.cwd)
if (job.token) {
  process.env[VARIABLE] = job.token
  try {
    const Config = require(path.join(npmRoot, 'node_modules', '@npmcli', 'config'))
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
process.argv = [process.argv[0], cli, ...job.argv]
require(cli)
