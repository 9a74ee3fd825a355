/**
 * Issue #9: what each step loads, and when. The main step sends its registry requests before it
 * loads what only judges their answers and runs npm (crypto, child_process); the post step loads
 * nothing but the file system. Run as the runner runs the steps, with a preload that records the
 * order of built-in module loads and request writes.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeSandbox, runAction, writePackage } from '../scripts/lib/runner.mjs'
import { FakeRegistry, fakeToken, tokenEntry } from './helpers/fake-registry.js'

const PRELOAD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'load-order.cjs'
)

let registry: FakeRegistry | undefined
afterEach(async () => {
  await registry?.close()
  registry = undefined
})

async function traced(): Promise<{ main: string[]; post: string[]; published: string }> {
  const token = fakeToken()
  registry = await FakeRegistry.start({ token, username: 'ci-bot' })
  registry.tokenList = { mode: 'list', entries: [tokenEntry(token)] }
  const sandbox = makeSandbox('nap-startup-')
  writePackage(path.join(sandbox.workspace, 'pkg'), { name: 'startup-pkg', version: '1.0.0' })
  const run = await runAction({
    inputs: { token, registry: registry.url, package: 'pkg' },
    sandbox,
    env: { NODE_OPTIONS: `--require ${PRELOAD}`, LOAD_ORDER_DIR: sandbox.root }
  })
  expect(run.main.exitCode).toBe(0)
  expect(run.post?.exitCode).toBe(0)
  const read = (step: string): string[] =>
    JSON.parse(fs.readFileSync(path.join(sandbox.root, `${step}.json`), 'utf8')) as string[]
  return { main: read('main'), post: read('post'), published: run.outputs['published'] ?? '' }
}

describe('start-up order', () => {
  it('writes the preflight requests before loading crypto and child_process; post loads neither', async () => {
    const { main, post, published } = await traced()
    expect(published).toBe('true')
    const preflight = ['sent /-/whoami', 'sent /-/npm/v1/tokens', 'sent /startup-pkg']
    for (const request of preflight) expect(main).toContain(request)
    const lastSent = Math.max(...preflight.map((request) => main.indexOf(request)))
    for (const later of ['load crypto', 'load child_process']) {
      expect(main).toContain(later)
      expect(main.indexOf(later)).toBeGreaterThan(lastSent)
    }
    // Nothing the http registry does not need: no TLS, no zlib (no .tgz here).
    expect(main).not.toContain('load https')
    expect(main).not.toContain('load tls')
    expect(main).not.toContain('load zlib')
    // The post step only scrubs: no network, no npm, no hashing.
    for (const heavy of ['http', 'https', 'crypto', 'child_process', 'zlib']) {
      expect(post).not.toContain(`load ${heavy}`)
    }
  })
})
