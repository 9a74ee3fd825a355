/**
 * Auth beyond long-lived tokens, end to end through dist/index.js: trusted publishing (OIDC),
 * staged publishing, provenance. A scripted front in front of Verdaccio plays npmjs's exchange and
 * stage endpoints (Verdaccio has neither); the exchange hands back a real Verdaccio token, so the
 * publish itself is real. A second loopback server plays the runner's ID-token endpoint.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { makeSandbox, removeSandboxes, runAction, writePackage } from '../scripts/lib/runner.mjs'
import { startVerdaccio, type Verdaccio } from '../scripts/lib/verdaccio.mjs'
import { fakeNpm } from './helpers/fake-npm.js'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'

const PASSWORD = 'ci-password-1'
const REQUEST_TOKEN = 'runner-request-token-0123456789'
const claims = {
  repository: 'octo/repo',
  workflow_ref: 'octo/repo/.github/workflows/release.yml@refs/tags/v1'
}
const ID_TOKEN = [
  Buffer.from('{"alg":"RS256"}').toString('base64url'),
  Buffer.from(JSON.stringify({ ...claims, aud: 'npm:127.0.0.1' })).toString('base64url'),
  'c2lnbmF0dXJlLW9mLXRoZS1pZC10b2tlbg'
].join('.')
const STAGE_ID = '7d0c8a52-1111-4222-8333-944455556666'

let registry: Verdaccio
let login: string
let token: string
/** The short-lived token the exchange hands out: a real Verdaccio token of its own. */
let exchanged: string
let front: http.Server
let frontUrl: string
let idServer: http.Server
let idUrl: string
let scenario: { exchange: 'ok' | '404'; stageOnlyPut: boolean; provenanceRefused: boolean }
const seen: { method?: string; url?: string; authorization?: string }[] = []
const idTokenRequests: string[] = []

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    )
  )
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

beforeAll(async () => {
  registry = await startVerdaccio()
  login = await registry.createUser('ci', PASSWORD)
  token = (await registry.createToken(login, PASSWORD)).token
  exchanged = (await registry.createToken(login, PASSWORD)).token
  front = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization })
    const exchange = /^\/-\/npm\/v1\/oidc\/token\/exchange\/package\/(.+)$/.exec(req.url ?? '')
    if (req.method === 'POST' && exchange) {
      if (req.headers.authorization !== `Bearer ${ID_TOKEN}`)
        return json(res, 401, { message: 'OIDC token exchange error - unauthorized' })
      const name = decodeURIComponent(exchange[1])
      void registry.packument(name).then((packument) => {
        if (!packument || scenario.exchange === '404') {
          return json(res, 404, { message: 'OIDC token exchange error - package not found' })
        }
        json(res, 201, {
          token_type: 'oidc',
          token: exchanged,
          created: new Date().toISOString(),
          expires: new Date(Date.now() + 3600e3).toISOString()
        })
      })
      return
    }
    if (req.method === 'POST' && req.url?.startsWith('/-/stage/package/')) {
      req.resume()
      req.on('end', () =>
        json(res, 201, { message: 'Package version staged successfully.', stageId: STAGE_ID })
      )
      return
    }
    if (req.method === 'PUT' && scenario.stageOnlyPut) {
      req.resume()
      req.on('end', () =>
        json(res, 403, {
          error: 'E_STAGE_REQUIRED: this token may only stage releases; use npm stage publish'
        })
      )
      return
    }
    if (req.method === 'PUT' && scenario.provenanceRefused) {
      req.resume()
      req.on('end', () =>
        json(res, 422, {
          error:
            'Error verifying sigstore provenance bundle: Unsupported GitHub Actions runner environment: "self-hosted". Only "github-hosted" runners are supported when publishing with provenance.'
        })
      )
      return
    }
    const upstream = http.request(
      new URL(req.url ?? '/', registry.url),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    req.pipe(upstream)
  })
  frontUrl = await listen(front)
  idServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    idTokenRequests.push(url.searchParams.get('audience') ?? '')
    if (req.headers.authorization !== `Bearer ${REQUEST_TOKEN}`) return json(res, 401, {})
    json(res, 200, { value: ID_TOKEN })
  })
  idUrl = `${await listen(idServer)}idtoken?api-version=2.0`
})

afterAll(async () => {
  await close(front)
  await close(idServer)
  await registry.stop()
  removeSandboxes()
})

beforeEach(() => {
  scenario = { exchange: 'ok', stageOnlyPut: false, provenanceRefused: false }
  seen.length = 0
  idTokenRequests.length = 0
})

const idTokenEnv = () => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: idUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
  RUNNER_ENVIRONMENT: 'github-hosted'
})

async function run(
  name: string,
  version: string,
  inputs: Record<string, string>,
  env: Record<string, string> = idTokenEnv(),
  extra: Record<string, unknown> = {}
) {
  const sandbox = makeSandbox()
  writePackage(path.join(sandbox.workspace, 'pkg'), {
    name,
    version,
    repository: { type: 'git', url: 'git+https://github.com/octo/repo.git' },
    ...extra
  })
  return runAction({ inputs: { registry: frontUrl, package: 'pkg', ...inputs }, sandbox, env })
}

/** The package exists (OIDC and staging need that): publish 1.0.0 with the token. */
async function seed(name: string): Promise<void> {
  const first = await run(name, '1.0.0', { token })
  expect(first.main.exitCode).toBe(0)
  seen.length = 0 // what a test asserts starts here
  idTokenRequests.length = 0
}

const puts = () => seen.filter((r) => r.method === 'PUT')

describe('trusted publishing (auth: oidc)', () => {
  it('publishes with the exchanged token, no token input, and leaks neither token', async () => {
    await seed('oidc-ok')
    const result = await run('oidc-ok', '1.1.0', { auth: 'oidc' })
    expect(result.main.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      published: 'true',
      'auth-path': 'oidc',
      'token-check': 'skipped'
    })
    expect(idTokenRequests).toEqual(['npm:127.0.0.1'])
    expect(result.summary).toContain('<li>Auth: oidc (trusted publishing')
    expect(puts()).toEqual([
      expect.objectContaining({ url: '/oidc-ok', authorization: `Bearer ${exchanged}` })
    ])
    // whoami and the token list say nothing about a short-lived token: not asked.
    expect(
      seen.filter((r) => r.url === '/-/whoami' || r.url?.startsWith('/-/npm/v1/tokens'))
    ).toEqual([])
    expect(result.main.stdout).toContain(`::add-mask::${ID_TOKEN}`)
    expect(result.main.stdout).toContain(`::add-mask::${exchanged}`)
    for (const secret of [ID_TOKEN, exchanged, REQUEST_TOKEN]) {
      expect(findLeaks(secret, runSources(result))).toEqual([])
    }
    expect(leftovers(result.sandbox.runnerTemp)).toEqual([])
    expect(result.post?.exitCode).toBe(0)
  })

  it('says what is missing without id-token: write', async () => {
    const result = await run(
      'oidc-perm',
      '1.0.0',
      { auth: 'oidc' },
      { RUNNER_ENVIRONMENT: 'github-hosted' }
    )
    expect(result.outputs['error-code']).toBe('OIDC_UNAVAILABLE')
    expect(result.main.stdout).toMatch(
      /^::error title=OIDC_UNAVAILABLE::.*permissions: id-token: write/m
    )
    expect(seen).toEqual([])
  })

  it('refuses a self-hosted runner', async () => {
    const result = await run(
      'oidc-self',
      '1.0.0',
      { auth: 'oidc' },
      { ...idTokenEnv(), RUNNER_ENVIRONMENT: 'self-hosted' }
    )
    expect(result.outputs['error-code']).toBe('OIDC_UNAVAILABLE')
    expect(result.main.stdout).toContain('GitHub-hosted runners only')
    expect(idTokenRequests).toEqual([])
  })

  it('explains a 404 from the exchange (no trusted publisher), naming the claims', async () => {
    await seed('oidc-untrusted')
    scenario.exchange = '404'
    const result = await run('oidc-untrusted', '1.1.0', { auth: 'oidc' })
    expect(result.outputs['error-code']).toBe('OIDC_REJECTED')
    const line = result.main.stdout.split('\n').find((l) => l.startsWith('::error')) ?? ''
    expect(line).toMatch(/^::error title=OIDC_REJECTED::/)
    expect(line).toContain('package not found')
    expect(line).toContain('repository=octo/repo')
    expect(line).toContain('Configure a trusted publisher')
    expect(puts()).toEqual([])
  })

  it('explains that a first publish cannot use OIDC', async () => {
    const result = await run('oidc-first', '1.0.0', { auth: 'oidc' })
    expect(result.outputs['error-code']).toBe('OIDC_REJECTED')
    expect(result.main.stdout).toContain('does not exist yet')
    expect(puts()).toEqual([])
  })

  it('names the npm version when it is too old', async () => {
    const sandbox = makeSandbox('nap-oldnpm-')
    const npm = fakeNpm(sandbox.root, { version: '11.4.2' })
    const result = await run(
      'oidc-oldnpm',
      '1.0.0',
      { auth: 'oidc' },
      { ...idTokenEnv(), PATH: `${npm.bin}${path.delimiter}${process.env['PATH']}` }
    )
    expect(result.outputs['error-code']).toBe('OIDC_UNAVAILABLE')
    expect(result.main.stdout).toContain('npm 11.4.2')
    expect(npm.calls().map((c) => c.argv[0])).toEqual(['--version'])
    expect(idTokenRequests).toEqual([])
  })

  it('auth: auto falls back to the token and says why', async () => {
    await seed('oidc-auto')
    scenario.exchange = '404'
    const result = await run('oidc-auto', '1.1.0', { auth: 'auto', token })
    expect(result.main.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      published: 'true',
      'auth-path': 'token',
      'token-check': 'passed'
    })
    expect(result.main.stdout).toMatch(
      /^::warning title=Trusted publishing not used::Trusted publishing was not possible, publishing with the token instead: \[OIDC_REJECTED\]/m
    )
    expect(result.summary).toContain('fell back to the token')
    expect(puts()).toEqual([expect.objectContaining({ authorization: `Bearer ${token}` })])
  })

  it('auth: auto uses OIDC when it can', async () => {
    await seed('oidc-auto-ok')
    const result = await run('oidc-auto-ok', '1.1.0', { auth: 'auto', token })
    expect(result.outputs).toMatchObject({ published: 'true', 'auth-path': 'oidc' })
    expect(puts()).toEqual([expect.objectContaining({ authorization: `Bearer ${exchanged}` })])
  })

  it('auth: auto without id-token: write uses the token, with no warning', async () => {
    await seed('oidc-auto-none')
    const result = await run(
      'oidc-auto-none',
      '1.1.0',
      { auth: 'auto', token },
      { RUNNER_ENVIRONMENT: 'github-hosted' }
    )
    expect(result.outputs).toMatchObject({ published: 'true', 'auth-path': 'token' })
    expect(result.main.stdout).not.toMatch(/^::warning/m)
  })
})

describe('staged publishing (stage: true)', () => {
  it('stages a release and reports its stage id', async () => {
    await seed('stage-ok')
    const result = await run('stage-ok', '1.1.0', { token, stage: 'true' })
    expect(result.main.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      published: 'false',
      'auth-path': 'stage',
      'stage-id': STAGE_ID
    })
    expect(JSON.parse(result.outputs['packages'] ?? '[]')).toEqual([
      expect.objectContaining({ status: 'staged', published: false })
    ])
    expect(result.summary).toContain('<h2>🕓 Staged <code>stage-ok@1.1.0</code> for approval</h2>')
    expect(result.main.stdout).toContain(`npm stage approve ${STAGE_ID}`)
    expect(
      seen.some(
        (r) =>
          r.method === 'POST' &&
          r.url === '/-/stage/package/stage-ok' &&
          r.authorization === `Bearer ${token}`
      )
    ).toBe(true)
    expect(puts()).toEqual([])
  })

  it('refuses to stage a first version', async () => {
    const result = await run('stage-first', '1.0.0', { token, stage: 'true' })
    expect(result.outputs['error-code']).toBe('INPUT_INVALID')
    expect(result.main.stdout).toContain('cannot be staged')
  })

  it('turns a stage-only token refusal into a hint to set stage: true', async () => {
    await seed('stage-only')
    scenario.stageOnlyPut = true
    const result = await run('stage-only', '1.1.0', { token })
    expect(result.outputs['error-code']).toBe('PUBLISH_FORBIDDEN')
    expect(result.main.stdout).toMatch(/^::error title=PUBLISH_FORBIDDEN::.*`stage: true`/m)
  })
})

describe('provenance', () => {
  it('fails before signing on a self-hosted runner', async () => {
    const result = await run(
      'prov-self',
      '1.0.0',
      { token, provenance: 'true' },
      { ...idTokenEnv(), RUNNER_ENVIRONMENT: 'self-hosted' }
    )
    expect(result.outputs['error-code']).toBe('PROVENANCE_FAILED')
    expect(result.main.stdout).not.toContain('::group::npm publish')
    expect(idTokenRequests).toEqual([])
    expect(puts()).toEqual([])
  })

  it('fails when package.json names another repository', async () => {
    const result = await run(
      'prov-repo',
      '1.0.0',
      { token, provenance: 'true' },
      { ...idTokenEnv(), GITHUB_REPOSITORY: 'someone/else' }
    )
    expect(result.outputs['error-code']).toBe('PROVENANCE_FAILED')
    expect(result.main.stdout).toContain('someone/else')
    expect(puts()).toEqual([])
  })

  it('fails without id-token: write', async () => {
    const result = await run('prov-perm', '1.0.0', { token, provenance: 'true' }, {})
    expect(result.outputs['error-code']).toBe('PROVENANCE_FAILED')
    expect(result.main.stdout).toContain('id-token: write')
    expect(puts()).toEqual([])
  })

  it('publishConfig.provenance: true (input not set) runs the pre-checks first', async () => {
    const sandbox = makeSandbox('nap-prov-')
    const npm = fakeNpm(sandbox.root, { noProvenance: true })
    const result = await run(
      'prov-config-self',
      '1.0.0',
      { token },
      {
        ...idTokenEnv(),
        RUNNER_ENVIRONMENT: 'self-hosted',
        PATH: `${npm.bin}${path.delimiter}${process.env['PATH']}`
      },
      { publishConfig: { provenance: true } }
    )
    expect(result.outputs['error-code']).toBe('PROVENANCE_FAILED')
    expect(result.main.stdout).toMatch(
      /^::error title=PROVENANCE_FAILED::provenance is on for prov-config-self/m
    )
    expect(npm.calls()).toEqual([]) // npm never ran
    expect(puts()).toEqual([])
  })

  it('publishConfig.provenance: true (input not set) gives npm --provenance and the ID-token variables', async () => {
    const sandbox = makeSandbox('nap-prov-')
    const npm = fakeNpm(sandbox.root, { noProvenance: true })
    const result = await run(
      'prov-config-on',
      '1.0.0',
      { token },
      { ...idTokenEnv(), PATH: `${npm.bin}${path.delimiter}${process.env['PATH']}` },
      // A package new to the registry needs public access for provenance (npm's rule).
      { publishConfig: { provenance: true, access: 'public' } }
    )
    expect(result.main.exitCode).toBe(0)
    expect(result.outputs['published']).toBe('true')
    const publishes = npm.calls().filter((c) => c.argv[0] === 'publish')
    expect(publishes).toHaveLength(1)
    expect(publishes[0].argv).toContain('--provenance')
    expect(publishes[0].argv).not.toContain('--provenance=false')
    expect(publishes[0].idTokenVars).toEqual([
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL'
    ])
    expect(findLeaks(REQUEST_TOKEN, runSources(result))).toEqual([])
  })

  it('publishConfig.provenance: true (input not set): a provenance refusal is PROVENANCE_FAILED', async () => {
    const sandbox = makeSandbox('nap-prov-')
    const npm = fakeNpm(sandbox.root, { noProvenance: true })
    scenario.provenanceRefused = true
    const result = await run(
      'prov-config-refused',
      '1.0.0',
      { token },
      { ...idTokenEnv(), PATH: `${npm.bin}${path.delimiter}${process.env['PATH']}` },
      // A package new to the registry needs public access for provenance (npm's rule).
      { publishConfig: { provenance: true, access: 'public' } }
    )
    expect(result.outputs['error-code']).toBe('PROVENANCE_FAILED')
    expect(result.main.stdout).toMatch(/^::error title=PROVENANCE_FAILED::/m)
    expect(puts()).toHaveLength(1)
  })

  it('publishConfig.provenance: false gives npm --provenance=false and no ID-token variables', async () => {
    const sandbox = makeSandbox('nap-prov-')
    const npm = fakeNpm(sandbox.root)
    const result = await run(
      'prov-config-off',
      '1.0.0',
      { token },
      { ...idTokenEnv(), PATH: `${npm.bin}${path.delimiter}${process.env['PATH']}` },
      { publishConfig: { provenance: false } }
    )
    expect(result.main.exitCode).toBe(0)
    expect(result.outputs['published']).toBe('true')
    const publishes = npm.calls().filter((c) => c.argv[0] === 'publish')
    expect(publishes).toHaveLength(1)
    expect(publishes[0].argv).toContain('--provenance=false')
    expect(publishes[0].argv).not.toContain('--provenance')
    expect(publishes[0].idTokenVars).toEqual([])
  })

  it('no provenance anywhere: npm gets neither flag nor the ID-token variables', async () => {
    const sandbox = makeSandbox('nap-prov-')
    const npm = fakeNpm(sandbox.root)
    const result = await run(
      'prov-none',
      '1.0.0',
      { token },
      { ...idTokenEnv(), PATH: `${npm.bin}${path.delimiter}${process.env['PATH']}` }
    )
    expect(result.main.exitCode).toBe(0)
    const publishes = npm.calls().filter((c) => c.argv[0] === 'publish')
    expect(publishes).toHaveLength(1)
    expect(publishes[0].argv.filter((a) => a.startsWith('--provenance'))).toEqual([])
    expect(publishes[0].idTokenVars).toEqual([])
  })
})
