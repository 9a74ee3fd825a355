// `npm run demo`: an embedded Verdaccio registry on loopback, a user and a token, then the built
// action (dist/index.js, then dist/post/index.js) run exactly as the GitHub runner runs it: a
// publish with its outputs and job summary, a rerun that is a no-op, a bad token stopped before
// anything is uploaded (with its summary), and a scheduled health check.
import fs from 'node:fs'
import path from 'node:path'
import { makeSandbox, removeSandboxes, runAction, writePackage } from './lib/runner.mjs'
import { summaryText } from './lib/summary-text.mjs'
import { startVerdaccio } from './lib/verdaccio.mjs'

const PASSWORD = 'demo-password-1'
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)
const failures = []

/** The step log as the Actions UI shows it: masks applied, workflow commands rendered. */
function renderLog(stdout, secrets) {
  const lines = []
  let stopped
  for (let line of stdout.split('\n')) {
    if (stopped) {
      if (line === `::${stopped}::`) stopped = undefined
      else lines.push(`  │ ${line}`)
      continue
    }
    const stop = /^::stop-commands::(.+)$/.exec(line)
    if (stop) {
      stopped = stop[1]
      continue
    }
    if (/^::(add-mask|debug)::/.test(line) || line === '') continue
    for (const secret of secrets) line = line.split(secret).join('***')
    const annotation = /^::(error|warning|notice)(?: title=([^:]*))?::(.*)$/.exec(line)
    if (annotation) {
      const [, kind, title, text] = annotation
      const label = { error: 'Error', warning: 'Warning', notice: 'Notice' }[kind]
      line = `${label}${title ? ` (${decodeURIComponent(title)})` : ''}: ${text.replace(/%0A/g, ' ')}`
    }
    line = line.replace(/^::group::(.*)$/, '▸ $1').replace(/^::endgroup::$/, '')
    if (line) lines.push(`  │ ${line}`)
  }
  return lines.join('\n')
}

function show(title, run, secrets) {
  console.log(
    `\n${bold(`━━ ${title}`)}  (main ${Math.round(run.main.ms)} ms, post ${Math.round(run.post.ms)} ms, exit ${run.main.exitCode})`
  )
  console.log(renderLog(run.main.stdout, secrets))
  const outputs = Object.entries(run.outputs).filter(
    ([name, value]) => value !== '' && name !== 'packages'
  )
  console.log(`\n  outputs:`)
  for (const [name, value] of outputs) console.log(`    ${name.padEnd(12)} ${value}`)
  console.log(`\n  ${bold('job summary:')}`)
  console.log(summaryText(run.summary).replace(/^/gm, '  ┃ '))
  fs.writeFileSync(run.files.summary, '')
}

function expect(condition, what) {
  console.log(`  ${condition ? '✔' : '✘'} ${what}`)
  if (!condition) failures.push(what)
}

const registry = await startVerdaccio()
const sandbox = makeSandbox('nap-demo-')
try {
  console.log(bold(`Verdaccio listening on ${registry.url} (loopback only)`))
  const login = await registry.createUser('demo', PASSWORD)
  const { token } = await registry.createToken(login, PASSWORD)
  console.log(`User "demo" created; a token was made through the token API.`)

  const pkg = writePackage(path.join(sandbox.workspace, 'hello-pkg'), {
    name: '@demo/hello',
    version: '1.0.0',
    description: 'published by npm-automation-publish',
    license: 'MIT'
  })
  console.log(`Sample package @demo/hello@1.0.0 in ${pkg}`)
  const inputs = { token, registry: registry.url, package: 'hello-pkg', access: 'public' }

  const first = await runAction({ inputs, sandbox })
  show('1. Publish @demo/hello@1.0.0', first, [token])
  expect(first.main.exitCode === 0 && first.outputs.published === 'true', 'published=true')
  expect(
    (await registry.packument('@demo/hello'))?.['dist-tags']?.latest === '1.0.0',
    'the registry now serves 1.0.0'
  )
  expect(
    fs.readdirSync(sandbox.runnerTemp).length === 1,
    'nothing of the action left under RUNNER_TEMP after main + post'
  )

  const rerun = await runAction({ inputs, sandbox })
  show('2. Re-run the same release (a workflow re-run)', rerun, [token])
  expect(
    rerun.main.exitCode === 0 && rerun.outputs.published === 'false',
    'the rerun is green and publishes nothing'
  )

  const readonly = (await registry.createToken(login, PASSWORD, { readonly: true })).token
  writePackage(pkg, { name: '@demo/hello', version: '1.1.0', license: 'MIT' })
  const ro = await runAction({ inputs: { ...inputs, token: readonly }, sandbox })
  show('3. A read-only token', ro, [readonly])
  expect(
    ro.outputs['error-code'] === 'TOKEN_READONLY',
    'stopped with TOKEN_READONLY before the upload'
  )
  expect(
    !(await registry.packument('@demo/hello'))?.versions?.['1.1.0'],
    '1.1.0 was never uploaded'
  )

  const health = await runAction({ inputs: { ...inputs, 'validate-only': 'true' }, sandbox })
  show('4. The weekly token health check (validate-only)', health, [token])
  expect(
    health.main.exitCode === 0 && health.outputs['token-check'] === 'passed',
    'the token is healthy'
  )
} finally {
  await registry.stop()
  removeSandboxes()
}

console.log(
  failures.length
    ? `\nDemo FAILED: ${failures.join('; ')}`
    : '\nDemo finished: registry stopped, temp files removed.'
)
process.exitCode = failures.length ? 1 : 0
