/**
 * The bundles as the runner loads them: action.yml names a main and a post file that exist; the
 * post bundle holds only what scrubbing needs; npm's wrapper sits beside the main bundle;
 * licenses.txt names every bundled package; the whole of dist/ stays small.
 */
import { describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT, actionManifest } from '../scripts/lib/runner.mjs'

const { runs } = actionManifest()
const DIST = path.join(ROOT, 'dist')

function distFiles(): string[] {
  return fs
    .readdirSync(DIST, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
}

describe('dist/', () => {
  it('has the main and post files action.yml names, on Node 24', () => {
    expect(runs['using']).toBe('node24')
    expect(runs['main']).toBe('dist/index.js')
    expect(runs['post']).toBe('dist/post/index.js')
    expect(runs['post-if']).toBe('always()')
    for (const file of [runs['main'], runs['post']])
      expect(fs.statSync(path.join(ROOT, file)).isFile()).toBe(true)
  })

  it('keeps the post bundle to the file system: no network, npm or hashing modules', () => {
    const post = fs.readFileSync(path.join(ROOT, runs['post']), 'utf8')
    const heavy = ['http', 'https', 'http2', 'net', 'tls', 'dns', 'crypto', 'zlib']
    for (const name of [...heavy, 'child_process', 'worker_threads', 'undici']) {
      expect(post).not.toMatch(new RegExp(`["'](node:)?${name}["']`))
    }
    // Every built-in it names is one of these.
    const builtins = new Set([...post.matchAll(/["']node:([a-z_/]+)["']/g)].map((m) => m[1]))
    for (const name of builtins) expect(['fs', 'os', 'path', 'module']).toContain(name)
    expect(builtins).toContain('fs')
    expect(post).not.toContain('npm-with-token')
    expect(post).not.toContain('@actions/core')
  })

  it('has npm-with-token.cjs beside the main bundle, as in src/', () => {
    const wrapper = path.join(path.dirname(path.join(ROOT, runs['main'])), 'npm-with-token.cjs')
    expect(fs.readFileSync(wrapper, 'utf8')).toBe(
      fs.readFileSync(path.join(ROOT, 'src', 'npm-with-token.cjs'), 'utf8')
    )
  })

  it('bundles only the parts of undici the action uses, for itself and for @actions/core', () => {
    const sources = distFiles()
      .filter((f) => f.endsWith('.js.map'))
      .flatMap(
        (file) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { sources: string[] }).sources
      )
    const undici = sources.filter((s) => s.includes('node_modules/undici/'))
    expect(undici).toEqual(
      expect.arrayContaining([expect.stringMatching(/dispatcher\/agent\.js$/)])
    )
    expect(sources).toContainEqual(expect.stringMatching(/src\/undici-parts\.cjs$/))
    // undici's index (which loads everything) and what only fetch, WebSocket, caches or tests need.
    for (const unused of [
      /undici\/index\.js$/,
      /undici\/lib\/web\/(websocket|eventsource|cache|cookies)\//,
      /undici\/lib\/web\/fetch\/index\.js$/,
      /undici\/lib\/mock\//
    ]) {
      expect(undici.filter((s) => unused.test(s))).toEqual([])
    }
  })

  it('lists the license of every package bundled in any chunk', () => {
    const bundled = new Set<string>()
    for (const file of distFiles().filter((f) => f.endsWith('.js.map'))) {
      const map = JSON.parse(fs.readFileSync(file, 'utf8')) as { sources: string[] }
      for (const source of map.sources) {
        const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1]
        if (name) bundled.add(name)
      }
    }
    expect([...bundled]).toEqual(
      expect.arrayContaining(['semver', 'ipaddr.js', '@actions/core', 'undici', 'js-yaml', 'which'])
    )
    const licenses = fs.readFileSync(path.join(DIST, 'licenses.txt'), 'utf8')
    const listed = new Set(
      licenses.split('\n').filter((line, i, all) => i === 0 || all[i - 1] === '')
    )
    for (const name of bundled) expect(listed).toContain(name)
  })

  it('holds under 1.5 MB of JavaScript in all', () => {
    const bytes = distFiles()
      .filter((file) => /\.(c|m)?js$/.test(file))
      .reduce((sum, file) => sum + fs.statSync(file).size, 0)
    expect(bytes).toBeGreaterThan(0)
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024)
  })
})
