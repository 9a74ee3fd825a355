/**
 * The committed bundles as the runner loads them: action.yml names a main and a post file that
 * exist; the post bundle holds only what scrubbing needs; licenses.txt names every bundled package.
 */
import { describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT, actionManifest } from '../scripts/lib/runner.mjs'

const { runs } = actionManifest()

describe('dist/', () => {
  it('has the main and post files action.yml names, on Node 24', () => {
    expect(runs['using']).toBe('node24')
    expect(runs['main']).toBe('dist/index.js')
    expect(runs['post']).toBe('dist/post/index.js')
    expect(runs['post-if']).toBe('always()')
    for (const file of [runs['main'], runs['post']])
      expect(fs.existsSync(path.join(ROOT, file))).toBe(true)
  })

  it('keeps the post bundle to the file system: no network, npm or hashing modules', () => {
    const post = fs.readFileSync(path.join(ROOT, runs['post']), 'utf8')
    for (const heavy of ['http', 'https', 'crypto', 'child_process', 'zlib', 'net']) {
      expect(post).not.toMatch(new RegExp(`["'](node:)?${heavy}["']`))
    }
  })

  it('lists the license of every package bundled in any chunk', () => {
    const bundled = new Set<string>()
    for (const file of fs.readdirSync(path.join(ROOT, 'dist'), { recursive: true })) {
      if (!String(file).endsWith('.js.map')) continue
      const map = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', String(file)), 'utf8')) as {
        sources: string[]
      }
      for (const source of map.sources) {
        const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1]
        if (name) bundled.add(name)
      }
    }
    expect([...bundled]).toEqual(expect.arrayContaining(['semver', 'ipaddr.js', '@actions/core']))
    const licenses = fs.readFileSync(path.join(ROOT, 'dist', 'licenses.txt'), 'utf8')
    const listed = new Set(
      licenses.split('\n').filter((line, i, all) => i === 0 || all[i - 1] === '')
    )
    for (const name of bundled) expect(listed).toContain(name)
  })
})
