import { describe, expect, it } from '@jest/globals'
import { planPublish, releaseType } from '../src/plan.js'
import type { Packument } from '../src/registry.js'
import { codeOf } from './helpers/code-of.js'

const packument = (
  latest: string,
  versions: string[],
  tags: Record<string, string> = {}
): Packument => ({
  'dist-tags': { latest, ...tags },
  versions: Object.fromEntries(versions.map((v) => [v, { dist: { integrity: `sha512-${v}` } }]))
})

describe('planPublish', () => {
  const base = { name: 'pkg', strategy: 'all' as const }

  it('publishes a first version as initial', () => {
    expect(planPublish({ ...base, version: '1.0.0' })).toEqual({
      action: 'publish',
      tag: 'latest',
      oldVersion: undefined,
      type: 'initial'
    })
  })

  it('publishes a new version with its release type', () => {
    expect(
      planPublish({ ...base, version: '1.3.0', packument: packument('1.2.9', ['1.2.9']) })
    ).toMatchObject({
      action: 'publish',
      oldVersion: '1.2.9',
      type: 'minor'
    })
  })

  it('compares an already published version instead of publishing it', () => {
    expect(
      planPublish({ ...base, version: '1.2.9', packument: packument('1.2.9', ['1.2.9']) })
    ).toEqual({
      action: 'compare',
      tag: 'latest',
      oldVersion: '1.2.9',
      type: 'same',
      published: 'sha512-1.2.9'
    })
  })

  it('requires a tag for a version lower than latest', () => {
    expect(
      codeOf(() =>
        planPublish({ ...base, version: '1.0.1', packument: packument('2.0.0', ['2.0.0']) })
      )
    ).toBe('TAG_REQUIRED')
  })

  it('respects an explicit tag, latest included', () => {
    const registry = packument('2.0.0', ['2.0.0'])
    expect(
      planPublish({ ...base, version: '1.0.1', tag: 'v1', packument: registry })
    ).toMatchObject({
      action: 'publish',
      tag: 'v1',
      type: 'initial'
    })
    expect(
      planPublish({ ...base, version: '1.0.1', tag: 'latest', packument: registry })
    ).toMatchObject({
      action: 'publish',
      type: 'lower'
    })
  })

  it('requires a tag for a prerelease', () => {
    expect(codeOf(() => planPublish({ ...base, version: '2.0.0-rc.1' }))).toBe('TAG_REQUIRED')
    expect(planPublish({ ...base, version: '2.0.0-rc.1', tag: 'next' })).toMatchObject({
      action: 'publish'
    })
  })

  it('skips under strategy upgrade unless greater than the tag', () => {
    const registry = packument('2.0.0', ['2.0.0', '1.5.0'], { next: '3.0.0-rc.1' })
    expect(
      planPublish({
        ...base,
        strategy: 'upgrade',
        version: '1.9.0',
        tag: 'latest',
        packument: registry
      })
    ).toMatchObject({
      action: 'skip',
      type: 'lower'
    })
    expect(
      planPublish({ ...base, strategy: 'upgrade', version: '2.0.1', packument: registry })
    ).toMatchObject({
      action: 'publish',
      type: 'patch'
    })
    expect(
      planPublish({
        ...base,
        strategy: 'upgrade',
        version: '3.0.0-rc.0',
        tag: 'next',
        packument: registry
      })
    ).toMatchObject({ action: 'skip' })
  })
})

describe('releaseType', () => {
  it.each([
    [undefined, '1.0.0', 'initial'],
    ['1.0.0', '1.0.0', 'same'],
    ['1.0.0', '0.9.0', 'lower'],
    ['1.0.0', '2.0.0', 'major'],
    ['1.0.0', '1.0.1', 'patch'],
    ['1.0.0', '1.1.0-beta.0', 'preminor'],
    ['1.1.0-beta.0', '1.1.0-beta.1', 'prerelease']
  ])('%s → %s is %s', (old, version, type) => {
    expect(releaseType(old, version)).toBe(type)
  })
})
