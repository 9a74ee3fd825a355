// `npm run demo`: an embedded Verdaccio registry on loopback, a user and a token, then the built
// action (dist/index.js) run exactly as the GitHub runner runs it — a publish, its outputs and job
// summary, the rerun being a no-op, and bad tokens being stopped before anything is uploaded.
import fs from 'node:fs'
import path from 'node:path'
import { makeSandbox, runAction, writePackage } from './lib/runner.mjs'
import { startVerdaccio } from './lib/verdaccio.mjs'

const PASSWORD = 'demo-password-1'
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)
const failures = []

/** The step log as the runner shows it: masks applied, workflow commands rendered. */
function renderLog(stdout, secrets) {
  const lines = []
  for (let line of stdout.split('\n')) {
    if (line.startsWith('::add-mask::') || line === '') continue
    for (const secret of secrets) line = line.split(secret).join('***')
    line = line
      .replace(/^::group::(.*)$/, '▸ $1')
      .replace(/^::endgroup::$/, '')
      .replace(/^::error::(.*)$/, 'Error: $1')
      .replace(/^::warning::(.*)$/, 'Warning: $1')
    if (line) lines.push(`  │ ${line}`)
  }
  return lines.join('\n')
}

function show(title, run, secrets) {
  console.log(
    `\n${bold(`━━ ${title}`)}  (main ${Math.round(run.main.ms)} ms, post ${Math.round(run.post.ms)} ms, exit ${run.main.exitCode})`
  )
  console.log(renderLog(run.main.stdout, secrets))
  const outputs = Object.entries(run.outputs).filter(([, value]) => value !== '')
  console.log(`\n  outputs:`)
  for (const [name, value] of outputs) console.log(`    ${name.padEnd(12)} ${value}`)
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
  console.log(`User "demo" created; an automation token was made through the token API.`)

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
    'no credentials left under RUNNER_TEMP after main + post'
  )
  console.log(`\n${bold('  Job summary (GITHUB_STEP_SUMMARY):')}`)
  console.log(first.summary.replace(/^/gm, '  │ '))

  fs.writeFileSync(first.files.summary, '')
  const rerun = await runAction({ inputs, sandbox })
  show('2. Re-run the same release (a workflow re-run)', rerun, [token])
  expect(
    rerun.main.exitCode === 0 && rerun.outputs.published === 'false',
    'rerun is green and publishes nothing'
  )

  const garbage = 'npm_0000demoGarbageToken0000000000000000'
  writePackage(pkg, { name: '@demo/hello', version: '1.1.0', license: 'MIT' })
  const bad = await runAction({ inputs: { ...inputs, token: garbage }, sandbox })
  show('3. A garbage token', bad, [garbage])
  expect(bad.outputs['error-code'] === 'TOKEN_INVALID', 'stopped with TOKEN_INVALID')

  const readonly = (await registry.createToken(login, PASSWORD, { readonly: true })).token
  const ro = await runAction({ inputs: { ...inputs, token: readonly }, sandbox })
  show('4. A read-only token', ro, [readonly])
  expect(ro.outputs['error-code'] === 'TOKEN_READONLY', 'stopped with TOKEN_READONLY before upload')
  expect(
    !(await registry.packument('@demo/hello'))?.versions?.['1.1.0'],
    '1.1.0 was never uploaded'
  )
} finally {
  await registry.stop()
  fs.rmSync(sandbox.root, { recursive: true, force: true })
}

console.log(
  failures.length
    ? `\nDemo FAILED: ${failures.join('; ')}`
    : '\nDemo finished: registry stopped, temp files removed.'
)
process.exitCode = failures.length ? 1 : 0
