/**
 * The job summary and the log, read as a person reads them on GitHub: every outcome the built
 * action can have (dist/index.js run as the runner runs it, against Verdaccio and the scripted fake
 * registry), each summary rendered as GitHub renders it (cmark-gfm with GitHub's extensions, raw
 * HTML kept and then checked), each log read as the Actions UI shows it.
 *
 * Set SUMMARY_RENDER_DUMP=<dir> to keep each rendered summary and log there (to look at them).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import {
  makeSandbox,
  removeSandboxes,
  runAction,
  writePackage,
  type RunResult
} from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'
import { FakeRegistry, fakeToken, tokenEntry } from './helpers/fake-registry.js'
import {
  readLog,
  renderSummary,
  sentences,
  type LogView,
  type Rendered
} from './helpers/github-render.js'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'

const PASSWORD = 'summary-password-1'
const DUMP = process.env['SUMMARY_RENDER_DUMP']
/** Short per-attempt timeouts: a 503 is retried within a budget of twice this. */
const FAST = { NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '2000' }

let verdaccio: Verdaccio
let login: string
let token: string
let fake: FakeRegistry
const fakeSecret = fakeToken()
const servers: http.Server[] = []

beforeAll(async () => {
  ;[verdaccio, fake] = await Promise.all([
    startVerdaccio(),
    FakeRegistry.start({ token: fakeSecret, username: 'ci-bot' })
  ])
  login = await verdaccio.createUser('summary', PASSWORD)
  token = (await verdaccio.createToken(login, PASSWORD)).token
}, 60_000)

afterAll(async () => {
  await Promise.all([
    verdaccio?.stop(),
    fake?.close(),
    ...servers.map((s) => new Promise((resolve) => s.close(resolve)))
  ])
  removeSandboxes()
})

interface Seen {
  run: RunResult
  summary: Rendered
  log: LogView
}

/** A link the action builds for a package on a registry that has no package pages. */
function linkOf(registry: string, name: string): string {
  return `${registry}${name.replace('/', '%2f')}`
}

/**
 * Runs the action, renders its summary and reads its log; checks what every run must satisfy:
 * nothing in the summary that the action did not write itself (no element, attribute or link from
 * registry or npm text, no autolinked e-mail, no empty header row, nothing GitHub's sanitizer
 * would strip); annotations that carry their code as the title and say each thing once; no log
 * line pointing into the private directory the action deletes; the token nowhere; nothing left.
 */
async function see(
  label: string,
  options: {
    inputs: Record<string, string | undefined>
    sandbox?: ReturnType<typeof makeSandbox>
    env?: Record<string, string>
    /** Package names whose links may appear (on `registry`). */
    links?: string[]
    registry?: string
    secret?: string
  }
): Promise<Seen> {
  const run = await runAction({
    inputs: options.inputs,
    sandbox: options.sandbox,
    env: options.env
  })
  const registry = options.registry ?? options.inputs['registry'] ?? ''
  const links = (options.links ?? []).map((name) => linkOf(registry, name))
  const summary = renderSummary(run.summary, links)
  const log = readLog(run.main.stdout)
  if (DUMP) {
    fs.mkdirSync(DUMP, { recursive: true })
    const base = path.join(DUMP, label.replace(/[^\w-]+/g, '-'))
    fs.writeFileSync(`${base}.md`, run.summary)
    fs.writeFileSync(`${base}.html`, summary.html)
    fs.writeFileSync(`${base}.log`, log.lines.join('\n'))
  }
  expect(summary.problems).toEqual([])
  expect(run.summary).not.toMatch(/mailto:/i)

  // The log.
  const errors = log.annotations.filter((a) => a.kind === 'error')
  const code = run.outputs['error-code']
  if (code) expect(errors.length).toBeGreaterThan(0)
  for (const a of log.annotations) {
    if (a.kind === 'error') expect(a.title).toMatch(/^[A-Z][A-Z0-9_]+$/)
    // The title carries the code; the text does not say it again, nor anything twice.
    if (a.title && /^[A-Z][A-Z0-9_]+$/.test(a.title)) {
      expect(a.message).not.toContain(a.title)
    }
    const said = sentences(a.message)
    expect(said.filter((s, i) => said.indexOf(s) !== i)).toEqual([])
    // Findings, not contradictions.
    expect(a.message).not.toMatch(/\bnot expired: expired|\bnot revoked: revoked|token accepted/i)
  }
  if (code) expect(errors.map((a) => a.title)).toContain(code)
  const privatePrefix = path.join(run.sandbox.runnerTemp, 'npm-automation-publish-')
  for (const line of log.lines) {
    expect(line).not.toContain(privatePrefix)
    expect(line).not.toMatch(/A complete log of this run/)
  }
  // npm's --json document is read, not printed (its error repeats npm's stderr).
  expect(log.lines.filter((l) => /^\s*"(error|summary|detail|id|integrity)":/.test(l))).toEqual([])

  // Hygiene.
  expect(run.post?.exitCode).toBe(0)
  expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
  expect(findLeaks(options.secret ?? options.inputs['token'] ?? '', runSources(run))).toEqual([])
  return { run, summary, log }
}

/** What a failure that stopped before the plan must not claim. */
function expectNoPlanFacts(seen: Seen): void {
  const text = seen.summary.text
  expect(text).not.toMatch(
    /\binitial\b|first under|→|\(same\)|\(new\)|\(was |\bpatch\b|\bminor\b|\bmajor\b/
  )
  expect(text).not.toMatch(/registry default|npm'?s default access/i)
  expect(text).not.toMatch(/^Access:/m)
  // No link to a version the registry does not hold.
  expect(seen.summary.html).not.toMatch(/<a /)
}

function expectHeading(seen: Seen, heading: RegExp): void {
  expect(seen.summary.heading).toMatch(heading)
  // npm publish is named only where npm publish ran.
  if (!/npm publish/.test(seen.run.main.stdout.match(/^::group::npm publish.*$/m)?.[0] ?? ''))
    expect(seen.summary.heading).not.toMatch(/npm publish/)
}

/** The checks table, as [check, result, finding] rows. */
function checkRows(seen: Seen): string[][] {
  const table = seen.summary.tables.find((t) => t[0]?.[0] === 'Check')
  return table ? table.slice(1) : []
}

function errorAnnotation(seen: Seen): string {
  const code = seen.run.outputs['error-code']
  return seen.log.annotations.find((a) => a.kind === 'error' && a.title === code)?.message ?? ''
}

function workspace(
  name: string,
  manifest: Record<string, unknown>
): ReturnType<typeof makeSandbox> {
  const sandbox = makeSandbox('nap-summary-')
  writePackage(path.join(sandbox.workspace, name), manifest)
  return sandbox
}

/**
 * A registry in front of the fake that answers some requests itself, with raw bodies (an HTML error
 * page, a proxy's text) that the fake, which answers JSON, cannot send.
 */
async function front(
  answer: (req: http.IncomingMessage) => { status: number; type: string; body: string } | undefined
): Promise<string> {
  const target = new URL(fake.url)
  const server = http.createServer((req, res) => {
    const own = answer(req)
    if (own) {
      res.writeHead(own.status, { 'content-type': own.type, 'retry-after': '0' })
      res.end(own.body)
      return
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers)
        reply.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

const HTML_503 =
  '<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n<body>\n<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your request.</p>\n<script>alert(1)</script>\n</body></html>\n'
const PROXY_BODY =
  'Request blocked by the corporate proxy. Appeal: [click](http://evil.example) <img src=x onerror=alert(1)> admin@evil.example'

describe('the GitHub rendering check itself', () => {
  const LINK = 'http://127.0.0.1:1/pkg'

  it('passes what the action writes: HTML blocks, code, its own link', () => {
    const ok = renderSummary(
      `<h2>✅ Published <code>@octo/widgets@1.0.0</code></h2>\n<table><tr><th>Package</th></tr><tr><td><a href="${LINK}"><code>pkg</code></a></td></tr></table>\n`,
      [LINK]
    )
    expect(ok.problems).toEqual([])
    expect(ok.heading).toBe('✅ Published @octo/widgets@1.0.0')
  })

  it('finds what GitHub would make of registry text that reached markdown unescaped', () => {
    const problems = (markdown: string): string =>
      renderSummary(markdown, [LINK]).problems.join('\n')
    // Markdown outside an HTML block: cmark-gfm autolinks name@1.0.0-beta as an e-mail address.
    expect(problems('## ✅ Published widgets@2.0.0-beta\n')).toMatch(/e-mail link mailto:/)
    expect(problems('Published widgets@2.0.0-beta under next\n')).toMatch(/mailto:/)
    // A package id outside <code>, which GitHub may link (and `@octo` may read as a mention).
    expect(problems('<p>Published @octo/widgets@1.0.0 under latest</p>\n')).toMatch(
      /@octo\/widgets@1\.0\.0 outside <code>/
    )
    // Raw HTML inside the action's HTML block passes through (and GitHub keeps an <h1>).
    expect(problems('<p>HTTP 503 (<h1>Service Unavailable</h1>)</p>\n')).toMatch(/element <h1>/)
    expect(problems('<p>blocked <img src=x onerror=alert(1)></p>\n')).toMatch(
      /element <img>[\s\S]*attribute onError/
    )
    // A blank line ends the HTML block: markdown applies to what follows.
    expect(problems('<p>a</p>\n\n[click](http://evil.example)\n')).toMatch(
      /a link to http:\/\/evil\.example/
    )
    expect(problems(`<p><a href="${LINK}x">x</a></p>\n`)).toMatch(/a link to/)
    expect(
      problems('<table><tr><th></th><th>Result</th></tr><tr><td>a</td><td>b</td></tr></table>\n')
    ).toMatch(/empty header cell/)
    expect(problems('| | |\n|-|-|\n| a | b |\n')).toMatch(/empty header cell/)
    expect(problems('<table><tr><td>a</td></tr></table>\n')).toMatch(/without a header row/)
  })

  it('reads annotations as the Actions UI does (title, escaped text), outside stop-commands only', () => {
    const log = readLog(
      [
        '::add-mask::secret',
        '::group::npm publish x@1.0.0',
        'npm notice hi',
        '::endgroup::',
        '::stop-commands::abc',
        '::error::not a command',
        '::abc::',
        '::error title=TOKEN_READONLY::Write access: read-only.%0AMore'
      ].join('\n')
    )
    expect(log.annotations).toEqual([
      { kind: 'error', title: 'TOKEN_READONLY', message: 'Write access: read-only.\nMore' }
    ])
    expect(log.groups).toEqual([{ title: 'npm publish x@1.0.0', lines: ['npm notice hi'] }])
    expect(log.lines).toContain('::error::not a command')
  })
})

describe('summaries and logs of each outcome, as GitHub shows them (Verdaccio)', () => {
  it('a publish: the heading names the package as code, the link is the package link', async () => {
    const sandbox = workspace('pkg', { name: 'summary-plain', version: '1.0.0' })
    const inputs = { token, registry: verdaccio.url, package: 'pkg' }
    const seen = await see('publish', { inputs, sandbox, links: ['summary-plain'] })
    expect(seen.run.main.exitCode).toBe(0)
    expectHeading(seen, /^✅ Published summary-plain@1\.0\.0$/)
    expect(seen.summary.html).toContain('<code>summary-plain@1.0.0</code>')
    // The plan's facts, once: the tag is new (the version is not compared with anything).
    expect(seen.summary.tables[0][1].slice(1, 4)).toEqual(['1.0.0', 'latest (new)', '✅ published'])
    expect(seen.summary.text).toMatch(/^Integrity: sha512-/m)

    const rerun = await see('rerun', { inputs, sandbox, links: ['summary-plain'] })
    expect(rerun.run.main.exitCode).toBe(0)
    expectHeading(rerun, /^⏭️ summary-plain@1\.0\.0 is already published$/)
    expect(rerun.summary.text).not.toMatch(/→|\(same\)/)
    const notes = rerun.log.annotations.filter((a) => a.kind !== 'notice')
    expect(notes).toEqual([])

    const health = await see('health-check', {
      inputs: { ...inputs, 'validate-only': 'true' },
      sandbox,
      links: ['summary-plain']
    })
    expect(health.run.main.exitCode).toBe(0)
    expectHeading(health, /^🩺 Health check passed/)
    expect(health.summary.text).toMatch(/nothing was packed or uploaded/)

    // A version already published with other content: npm never ran.
    writePackage(
      path.join(sandbox.workspace, 'pkg'),
      { name: 'summary-plain', version: '1.0.0' },
      {
        'changed.js': 'module.exports = 2\n'
      }
    )
    const conflict = await see('version-conflict', { inputs, sandbox, links: ['summary-plain'] })
    expect(conflict.run.outputs['error-code']).toBe('VERSION_CONFLICT')
    expectHeading(conflict, /VERSION_CONFLICT$/)
    expect(conflict.summary.heading).not.toMatch(/npm/)
    expect(conflict.summary.text).not.toMatch(/1\.0\.0 → 1\.0\.0|\(same\)|initial/)
  })

  it('a tag move: published under next, rerun with tag latest', async () => {
    const sandbox = makeSandbox('nap-summary-')
    const dir = path.join(sandbox.workspace, 'pkg')
    const inputs = { token, registry: verdaccio.url, package: 'pkg' }
    writePackage(dir, { name: 'summary-tags', version: '1.0.0' })
    expect((await runAction({ inputs, sandbox })).main.exitCode).toBe(0)
    writePackage(dir, { name: 'summary-tags', version: '2.0.0' })
    expect((await runAction({ inputs: { ...inputs, tag: 'next' }, sandbox })).main.exitCode).toBe(0)
    const moved = await see('tag-move', {
      inputs: { ...inputs, tag: 'latest' },
      sandbox,
      links: ['summary-tags']
    })
    expect(moved.run.outputs['tag-moved']).toBe('true')
    expectHeading(moved, /^🏷️ Moved latest to summary-tags@2\.0\.0$/)
    expect(moved.summary.tables[0][1].slice(1, 4)).toEqual([
      '2.0.0',
      'latest (was 1.0.0)',
      '🏷️ tag moved'
    ])
    expect((await verdaccio.packument('summary-tags'))?.['dist-tags']['latest']).toBe('2.0.0')
  })

  it('a dry run', async () => {
    const sandbox = workspace('pkg', { name: 'summary-dry', version: '1.0.0' })
    const seen = await see('dry-run', {
      inputs: { token, registry: verdaccio.url, package: 'pkg', 'dry-run': 'true' },
      sandbox,
      links: ['summary-dry']
    })
    expect(seen.run.main.exitCode).toBe(0)
    expectHeading(seen, /^🧪 Dry run of summary-dry@1\.0\.0$/)
    expect(seen.summary.text).toMatch(/nothing was uploaded/)
    expect(await verdaccio.packument('summary-dry')).toBeUndefined()
  })

  it('a scoped @octo/widgets@1.0.0 publish: code, never an e-mail address', async () => {
    const sandbox = workspace('pkg', { name: '@octo/widgets', version: '1.0.0' })
    const seen = await see('scoped', {
      inputs: { token, registry: verdaccio.url, package: 'pkg', access: 'public' },
      sandbox,
      links: ['@octo/widgets']
    })
    expect(seen.run.main.exitCode).toBe(0)
    expectHeading(seen, /^✅ Published @octo\/widgets@1\.0\.0$/)
    expect(seen.summary.html).toContain('<code>@octo/widgets@1.0.0</code>')
    expect(seen.summary.text).toMatch(/Access: public/)
  })

  it('a prerelease summary-beta@2.0.0-beta (an e-mail address to cmark-gfm) is code', async () => {
    const sandbox = workspace('pkg', { name: 'summary-beta', version: '2.0.0-beta' })
    const seen = await see('prerelease', {
      inputs: { token, registry: verdaccio.url, package: 'pkg', tag: 'next' },
      sandbox,
      links: ['summary-beta']
    })
    expect(seen.run.main.exitCode).toBe(0)
    expectHeading(seen, /^✅ Published summary-beta@2\.0\.0-beta$/)
    expect(seen.summary.html).toContain('<code>summary-beta@2.0.0-beta</code>')
  })

  it('a read-only token: the heading names the token check and its code', async () => {
    const readonly = (await verdaccio.createToken(login, PASSWORD, { readonly: true })).token
    const sandbox = workspace('pkg', { name: 'summary-ro', version: '1.1.0' })
    const seen = await see('token-readonly', {
      inputs: { token: readonly, registry: verdaccio.url, package: 'pkg' },
      sandbox,
      links: ['summary-ro']
    })
    expect(seen.run.outputs['error-code']).toBe('TOKEN_READONLY')
    expectHeading(seen, /^❌ Token check failed: TOKEN_READONLY$/)
    expectNoPlanFacts(seen)
    // The failing check first.
    expect(checkRows(seen)[0]).toEqual(['Write access', '❌ failed (TOKEN_READONLY)', 'read-only'])
    expect(errorAnnotation(seen)).toMatch(/Write access: read-only/)
  })

  it('a token limited to other IP ranges (Verdaccio: a bare 403) is not called garbage', async () => {
    const limited = (await verdaccio.createToken(login, PASSWORD, { cidr: ['10.9.8.0/24'] })).token
    const sandbox = workspace('pkg', { name: 'summary-cidr', version: '1.0.0' })
    const seen = await see('token-cidr-verdaccio', {
      inputs: { token: limited, registry: verdaccio.url, package: 'pkg' },
      sandbox,
      links: ['summary-cidr']
    })
    expectHeading(seen, /^❌ Token check failed: TOKEN_(INVALID|CIDR)$/)
    expectNoPlanFacts(seen)
    expect(errorAnnotation(seen)).not.toMatch(/create a new granular access token/i)
    expect(errorAnnotation(seen)).toMatch(/IP ranges/)
  })

  it('a revoked token', async () => {
    const created = await verdaccio.createToken(login, PASSWORD)
    await verdaccio.deleteToken(login, created.key)
    const sandbox = workspace('pkg', { name: 'summary-revoked', version: '1.0.0' })
    const seen = await see('token-revoked', {
      inputs: { token: created.token, registry: verdaccio.url, package: 'pkg' },
      sandbox,
      links: ['summary-revoked']
    })
    expect(seen.run.outputs['error-code']).toBe('TOKEN_INVALID')
    expectHeading(seen, /^❌ Token check failed: TOKEN_INVALID$/)
    expectNoPlanFacts(seen)
    expect(errorAnnotation(seen)).toMatch(/revoked/)
  })

  it('several bad inputs at once: one heading, every problem, no invented facts', async () => {
    const sandbox = workspace('pkg', { name: 'summary-inputs', version: '1.0.0' })
    const seen = await see('inputs', {
      inputs: {
        token,
        registry: verdaccio.url,
        package: 'pkg',
        tag: '^1.0.0',
        access: 'everyone',
        strategy: 'sometimes'
      },
      sandbox
    })
    expect(seen.run.outputs['error-code']).toBe('INPUT_INVALID')
    expectHeading(seen, /^❌ Inputs rejected: INPUT_INVALID$/)
    expectNoPlanFacts(seen)
    // One item per problem.
    expect(seen.summary.text).toMatch(/^3 problems:\n`?tag/m)
    expect(seen.summary.html.match(/<li>/g)?.length).toBeGreaterThanOrEqual(3)
    expect(seen.summary.text).not.toMatch(/Registry:|Token check:/)
  })

  it('a private package, and a workspace root published without workspaces: true', async () => {
    const priv = workspace('pkg', { name: 'summary-private', version: '1.0.0', private: true })
    const seen = await see('package-private', {
      inputs: { token, registry: verdaccio.url, package: 'pkg' },
      sandbox: priv
    })
    expect(seen.run.outputs['error-code']).toBe('PACKAGE_INVALID')
    expectHeading(seen, /^❌ Package refused: PACKAGE_INVALID$/)
    expectNoPlanFacts(seen)

    const root = makeSandbox('nap-summary-')
    writePackage(root.workspace, { name: 'summary-root', private: true, workspaces: ['p/*'] })
    writePackage(path.join(root.workspace, 'p', 'one'), { name: 'summary-one', version: '1.0.0' })
    const ws = await see('package-workspace-root', {
      inputs: { token, registry: verdaccio.url, package: '.' },
      sandbox: root
    })
    expect(ws.run.outputs['error-code']).toBe('PACKAGE_INVALID')
    expectHeading(ws, /^❌ Package refused: PACKAGE_INVALID$/)
    expectNoPlanFacts(ws)
    expect(ws.summary.text).toMatch(/workspaces/)
  })

  it('a failing lifecycle script: its error points at its group, which holds its output', async () => {
    const sandbox = workspace('pkg', {
      name: 'summary-script',
      version: '1.0.0',
      scripts: { prepublishOnly: 'node -e "console.error(\'the build broke\'); process.exit(3)"' }
    })
    const seen = await see('script-failure', {
      inputs: { token, registry: verdaccio.url, package: 'pkg' },
      sandbox,
      links: ['summary-script']
    })
    expectHeading(seen, /^❌ Lifecycle script failed: /)
    const message = errorAnnotation(seen)
    const named = /"(npm run [^"]+)" group above/.exec(message)?.[1]
    expect(named).toBeDefined()
    const group = seen.log.groups.find((g) => g.title.startsWith(named as string))
    expect(group?.lines.join('\n')).toMatch(/prepublishOnly/)
    // The script's stderr, which the runner shows in the same place, in time order.
    expect(seen.run.main.stderr).toMatch(/the build broke/)
    expect(seen.log.lines.indexOf(`▸ ${group?.title}`)).toBeLessThan(
      seen.log.lines.findIndex((l) => l.startsWith('error'))
    )
  })

  it('a workspace with a failed and a held-back package', async () => {
    const sandbox = makeSandbox('nap-summary-')
    const root = sandbox.workspace
    writePackage(root, { name: 'summary-ws', private: true, workspaces: ['packages/*'] })
    writePackage(path.join(root, 'packages', 'a'), {
      name: 'summary-ws-a',
      version: '1.0.0',
      scripts: { prepublishOnly: 'node -e "console.error(\'a cannot build\'); process.exit(1)"' }
    })
    writePackage(path.join(root, 'packages', 'b'), {
      name: 'summary-ws-b',
      version: '1.0.0',
      dependencies: { 'summary-ws-a': '^1.0.0' }
    })
    writePackage(path.join(root, 'packages', 'c'), { name: 'summary-ws-c', version: '1.0.0' })
    const seen = await see('workspace', {
      inputs: { token, registry: verdaccio.url, package: '.', workspaces: 'true' },
      sandbox,
      links: ['summary-ws-a', 'summary-ws-b', 'summary-ws-c']
    })
    expect(seen.run.main.exitCode).toBe(1)
    expectHeading(seen, /^❌ 1 of 3 packages failed: /)
    expect(seen.summary.text).toContain('1 published, 1 failed, 1 held back.')
    const table = seen.summary.tables[0]
    const row = (name: string): string[] | undefined => table.find((r) => r[0] === name)
    expect(row('summary-ws-a')?.[3]).toMatch(/failed/)
    expect(row('summary-ws-b')?.[3]).toMatch(/held back/)
    expect(row('summary-ws-b')?.[5]).toMatch(/summary-ws-a/)
    expect(row('summary-ws-c')?.[3]).toMatch(/published/)
    const errors = seen.log.annotations.filter((a) => a.kind === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0].message).toMatch(/^summary-ws-a@1\.0\.0: /)
  })
})

describe('summaries and logs of each outcome, as GitHub shows them (scripted registry)', () => {
  const inputsFor = (
    registry: string,
    extra: Record<string, string> = {}
  ): Record<string, string> => ({ token: fakeSecret, registry, package: 'pkg', ...extra })

  it('an expired token reads as a finding: "expired on <date>"', async () => {
    fake.tokenList = {
      mode: 'list',
      entries: [tokenEntry(fakeSecret, { expiry: '2026-11-20T00:00:00.000Z' })]
    }
    const seen = await see('token-expired', {
      inputs: inputsFor(fake.url),
      sandbox: workspace('pkg', { name: 'fake-expired', version: '1.0.0' }),
      links: ['fake-expired']
    })
    expect(seen.run.outputs['error-code']).toBe('TOKEN_EXPIRED')
    expectHeading(seen, /^❌ Token check failed: TOKEN_EXPIRED$/)
    expectNoPlanFacts(seen)
    expect(errorAnnotation(seen)).toMatch(/Expiry: expired on 2026-11-20\b/)
    expect(errorAnnotation(seen)).not.toMatch(/not expired/i)
    expect(checkRows(seen)[0]).toEqual([
      'Expiry',
      '❌ failed (TOKEN_EXPIRED)',
      'expired on 2026-11-20'
    ])
    expect(fake.puts).toHaveLength(0)
  })

  it('bypass 2FA off stops before the upload with OTP_REQUIRED', async () => {
    fake.tokenList = { mode: 'list', entries: [tokenEntry(fakeSecret, { bypass_2fa: false })] }
    const seen = await see('token-2fa', {
      inputs: inputsFor(fake.url),
      sandbox: workspace('pkg', { name: 'fake-2fa', version: '1.0.0' }),
      links: ['fake-2fa']
    })
    expect(seen.run.outputs['error-code']).toBe('OTP_REQUIRED')
    expectHeading(seen, /^❌ Token check failed: OTP_REQUIRED$/)
    expectNoPlanFacts(seen)
    expect(fake.puts).toHaveLength(0)
  })

  it('a token outside its allowed IP ranges (listed CIDR)', async () => {
    fake.tokenList = { mode: 'list', entries: [tokenEntry(fakeSecret, { cidr: ['10.9.8.0/24'] })] }
    const seen = await see('token-cidr', {
      inputs: inputsFor(fake.url),
      sandbox: workspace('pkg', { name: 'fake-cidr', version: '1.0.0' }),
      links: ['fake-cidr']
    })
    expect(seen.run.outputs['error-code']).toBe('TOKEN_CIDR')
    expectHeading(seen, /^❌ Token check failed: TOKEN_CIDR$/)
    expectNoPlanFacts(seen)
    expect(errorAnnotation(seen)).toMatch(/outside 10\.9\.8\.0\/24/)
  })

  it('the token list refused (npmjs-style 403): a notice, not a warning; its checks not checked', async () => {
    fake.tokenList = { mode: 'forbidden', entries: [] }
    const seen = await see('token-list-403', {
      inputs: inputsFor(fake.url),
      sandbox: workspace('pkg', { name: 'fake-list', version: '1.0.0' }),
      links: ['fake-list']
    })
    expect(seen.run.main.exitCode).toBe(0)
    expect(seen.run.outputs['token-check']).toBe('passed')
    expectHeading(seen, /^✅ Published fake-list@1\.0\.0$/)
    expect(seen.log.annotations.filter((a) => a.kind !== 'notice')).toEqual([])
    const notices = seen.log.annotations.filter((a) => a.kind === 'notice')
    expect(notices.some((a) => /token list|token details/i.test(`${a.title} ${a.message}`))).toBe(
      true
    )
    const rows = checkRows(seen)
    expect(rows.find((r) => r[0] === 'Expiry')?.[1]).toBe('➖ not checked')
    expect(rows.find((r) => r[0].startsWith('Token details'))?.[2]).toMatch(/HTTP 403/)
  })

  it('a tag move the registry refuses is named as that, not as npm publish', async () => {
    fake.tokenList = { mode: 'list', entries: [tokenEntry(fakeSecret)] }
    const sandbox = workspace('pkg', { name: 'fake-tags', version: '1.0.0' })
    const first = await runAction({ inputs: inputsFor(fake.url, { tag: 'next' }), sandbox })
    expect(first.main.exitCode).toBe(0)
    // The fake refuses the dist-tag PUT with 405.
    fake.scriptDistTag({ status: 405, body: { error: 'method not allowed' } })
    const seen = await see('tag-move-refused', {
      inputs: inputsFor(fake.url, { tag: 'latest' }),
      sandbox,
      links: ['fake-tags']
    })
    expect(seen.run.main.exitCode).toBe(1)
    expectHeading(seen, /^❌ Tag move refused: [A-Z_]+$/)
    expect(seen.summary.text).toMatch(/HTTP 405/)
  })

  it('a 503 HTML error page stays text: no heading, no script from it', async () => {
    fake.tokenList = { mode: 'list', entries: [tokenEntry(fakeSecret)] }
    const registry = await front((req) =>
      req.url?.startsWith('/fake-503')
        ? { status: 503, type: 'text/html', body: HTML_503 }
        : undefined
    )
    const seen = await see('registry-503', {
      inputs: inputsFor(registry),
      sandbox: workspace('pkg', { name: 'fake-503', version: '1.0.0' }),
      env: FAST,
      links: ['fake-503']
    })
    expect(seen.run.outputs['error-code']).toBe('REGISTRY_UNREACHABLE')
    expectHeading(seen, /^❌ Registry unreachable: REGISTRY_UNREACHABLE$/)
    expectNoPlanFacts(seen)
    expect(seen.summary.text).toMatch(/HTTP 503/)
    expect(seen.summary.text).toMatch(/Service Unavailable/)
  })

  it("a proxy's body with a markdown link, an <img> and an address stays text", async () => {
    fake.tokenList = { mode: 'list', entries: [tokenEntry(fakeSecret)] }
    const registry = await front((req) =>
      req.url?.startsWith('/fake-proxy')
        ? { status: 502, type: 'text/plain', body: PROXY_BODY }
        : undefined
    )
    const seen = await see('registry-proxy', {
      inputs: inputsFor(registry),
      sandbox: workspace('pkg', { name: 'fake-proxy', version: '1.0.0' }),
      env: FAST,
      links: ['fake-proxy']
    })
    expect(seen.run.outputs['error-code']).toBe('REGISTRY_UNREACHABLE')
    expectHeading(seen, /^❌ Registry unreachable: REGISTRY_UNREACHABLE$/)
    expect(seen.summary.text).toContain('[click](http://evil.example)')
    expect(seen.summary.text).toContain('<img src=x onerror=alert(1)>')
  })

  it("npm's refusal quoting a proxy's markup: text in the summary, once in the log", async () => {
    fake.tokenList = { mode: 'list', entries: [tokenEntry(fakeSecret)] }
    fake.scriptPut({ kind: 'status', status: 403, body: { error: PROXY_BODY } })
    const seen = await see('npm-refused', {
      inputs: inputsFor(fake.url),
      sandbox: workspace('pkg', { name: 'fake-refused', version: '1.0.0' }),
      links: ['fake-refused']
    })
    expect(seen.run.outputs['error-code']).toBe('PUBLISH_FORBIDDEN')
    expectHeading(seen, /^❌ npm publish failed: PUBLISH_FORBIDDEN$/)
    expect(seen.summary.text).toContain('[click](http://evil.example)')
    const group = seen.log.groups.find((g) => g.title.startsWith('npm publish'))
    expect(group).toBeDefined()
    const mentions = (group?.lines ?? []).filter((l) => l.includes('Request blocked'))
    expect(mentions).toHaveLength(1)
    // Instead of a pointer to npm's debug log (deleted with the private dir): its requests.
    expect(group?.lines.join('\n')).toMatch(
      /^ {2}PUT 403 http:\/\/127\.0\.0\.1:\d+\/fake-refused /m
    )
  })
})
