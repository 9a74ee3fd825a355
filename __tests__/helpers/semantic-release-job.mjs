// The release step of a semantic-release job, as the wrapper actions run it
// (cycjimmy/semantic-release-action's setUpJob + windUpJob): semantic-release's JS API in this
// process, its log on stderr, and the step's outputs as one JSON line on stdout at the end.
// Run it as its own process (`node semantic-release-job.mjs` in the repository, with the env
// semantic-release should see): semantic-release hooks process.stdout and its plugins keep module
// state, so one process per run.
import fs from 'node:fs'
import semanticRelease from 'semantic-release'

// setUpJob: the output exists on every path.
const outputs = { new_release_published: 'false' }
let exitCode = 0
try {
  const result = await semanticRelease(
    {},
    { cwd: process.cwd(), env: process.env, stdout: process.stderr, stderr: process.stderr }
  )
  // windUpJob: nothing when semantic-release returned false; the last release when known; the new
  // release only when there is one (an addChannel-only run returns `{releases}` alone).
  if (result) {
    if (result.lastRelease?.version) outputs.last_release_version = result.lastRelease.version
    if (result.nextRelease?.version) {
      Object.assign(outputs, {
        new_release_published: 'true',
        new_release_version: result.nextRelease.version,
        // null on the first release branch: @actions/core writes it as an empty string.
        new_release_channel: result.nextRelease.channel ?? '',
        new_release_git_tag: result.nextRelease.gitTag
      })
    }
    outputs.releases = JSON.stringify(result.releases ?? [])
  }
} catch (error) {
  process.stderr.write(`semantic-release failed: ${error?.stack ?? error}\n`)
  outputs.error = String(error?.code ?? error?.message ?? error)
  exitCode = 1
}
fs.writeSync(1, `${JSON.stringify(outputs)}\n`)
process.exitCode = exitCode
