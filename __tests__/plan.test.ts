import { describe, expect, it } from '@jest/globals'
import { PublishError } from '../src/errors.js'
import { planPublish, releaseType, type PlanInput } from '../src/plan.js'
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

const base: Pick<PlanInput, 'name' | 'strategy' | 'healthCheck'> = {
  name: 'pkg',
  strategy: 'all',
  healthCheck: false
}
const plan = (input: Partial<PlanInput> & { version: string }) => planPublish({ ...base, ...input })

function thrown(fn: () => unknown): PublishError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(PublishError)
    return error as PublishError
  }
  throw new Error('did not throw')
}

describe('planPublish: new versions', () => {
  it('publishes a first version as initial under latest', () => {
    expect(plan({ version: '1.0.0' })).toEqual({
      action: 'publish',
      tag: 'latest',
      oldVersion: undefined,
      type: 'initial'
    })
  })

  it('publishes a new version with its release type', () => {
    expect(plan({ version: '1.3.0', packument: packument('1.2.9', ['1.2.9']) })).toEqual({
      action: 'publish',
      tag: 'latest',
      oldVersion: '1.2.9',
      type: 'minor'
    })
  })

  it('requires a tag for a version lower than latest, suggesting one for its line', () => {
    const error = thrown(() => plan({ version: '1.0.1', packument: packument('2.0.0', ['2.0.0']) }))
    expect(error.code).toBe('TAG_REQUIRED')
    expect(error.message).toContain('2.0.0')
    expect(error.hint).toContain('tag: v1-latest')
  })

  it('respects an explicit tag, latest included', () => {
    const registry = packument('2.0.0', ['2.0.0'])
    expect(plan({ version: '1.0.1', tag: 'v1', packument: registry })).toEqual({
      action: 'publish',
      tag: 'v1',
      oldVersion: undefined,
      type: 'initial'
    })
    expect(plan({ version: '1.0.1', tag: 'latest', packument: registry })).toMatchObject({
      action: 'publish',
      tag: 'latest',
      oldVersion: '2.0.0',
      type: 'lower'
    })
  })

  it('requires a tag for a prerelease, and accepts one with a tag', () => {
    expect(codeOf(() => plan({ version: '2.0.0-rc.1' }))).toBe('TAG_REQUIRED')
    expect(
      codeOf(() => plan({ version: '2.0.0-rc.1', packument: packument('1.0.0', ['1.0.0']) }))
    ).toBe('TAG_REQUIRED')
    expect(plan({ version: '2.0.0-rc.1', tag: 'next' })).toMatchObject({ action: 'publish' })
    expect(plan({ version: '2.0.0-rc.1', tag: 'latest' })).toMatchObject({
      action: 'publish',
      tag: 'latest'
    })
  })

  it('requires a tag under validate-only too (a health check says what the release would do)', () => {
    expect(
      codeOf(() =>
        plan({ version: '1.0.1', healthCheck: true, packument: packument('2.0.0', ['2.0.0']) })
      )
    ).toBe('TAG_REQUIRED')
  })

  it('treats a dist-tag that is not a version as absent', () => {
    expect(
      plan({
        version: '1.0.0',
        tag: 'next',
        packument: packument('0.9.0', ['0.9.0'], { next: 'x' })
      })
    ).toMatchObject({ action: 'publish', oldVersion: 'x', type: 'initial' })
    expect(
      plan({ version: '1.0.0', packument: packument('garbage', ['0.9.0']), strategy: 'upgrade' })
    ).toMatchObject({ action: 'publish', type: 'initial' })
  })

  it('skips under strategy upgrade unless greater than the tag', () => {
    const registry = packument('2.0.0', ['2.0.0', '1.5.0'], { next: '3.0.0-rc.1' })
    expect(
      plan({ strategy: 'upgrade', version: '1.9.0', tag: 'latest', packument: registry })
    ).toMatchObject({ action: 'skip', type: 'lower', oldVersion: '2.0.0' })
    expect(plan({ strategy: 'upgrade', version: '2.0.1', packument: registry })).toMatchObject({
      action: 'publish',
      type: 'patch'
    })
    const skipped = plan({
      strategy: 'upgrade',
      version: '3.0.0-rc.0',
      tag: 'next',
      packument: registry
    })
    expect(skipped).toMatchObject({ action: 'skip', tag: 'next', oldVersion: '3.0.0-rc.1' })
    expect(skipped.action === 'skip' && skipped.reason).toContain('not greater than next')
  })

  it('skips under strategy upgrade before asking for a tag (a lower version is simply not released)', () => {
    expect(
      plan({ strategy: 'upgrade', version: '1.0.1', packument: packument('2.0.0', ['2.0.0']) })
    ).toMatchObject({ action: 'skip', type: 'lower' })
  })
})

describe('planPublish: a version already published', () => {
  const registry = packument('2.0.0', ['1.0.0', '2.0.0', '2.1.0', '3.0.0-rc.1'], {
    next: '3.0.0-rc.1',
    v1: '1.0.0'
  })

  it('compares instead of publishing, and leaves a tag that already points at it', () => {
    expect(plan({ version: '2.0.0', packument: registry })).toEqual({
      action: 'compare',
      tag: 'latest',
      oldVersion: '2.0.0',
      tagMove: { move: false, reason: '"latest" already points at 2.0.0' }
    })
  })

  it('moves an explicit tag that does not point at the version', () => {
    expect(plan({ version: '2.1.0', tag: 'next', packument: registry })).toEqual({
      action: 'compare',
      tag: 'next',
      oldVersion: '3.0.0-rc.1',
      tagMove: { move: true, from: '3.0.0-rc.1' }
    })
    expect(plan({ version: '2.0.0', tag: 'stable', packument: registry })).toMatchObject({
      tagMove: { move: true, from: undefined }
    })
  })

  it('moves implicit latest forward (promotion: next to latest)', () => {
    expect(plan({ version: '2.1.0', packument: registry })).toMatchObject({
      action: 'compare',
      tag: 'latest',
      tagMove: { move: true, from: '2.0.0' }
    })
  })

  it('never moves implicit latest backwards', () => {
    const result = plan({ version: '1.0.0', packument: registry })
    expect(result).toMatchObject({ action: 'compare', tagMove: { move: false } })
    expect(result.action === 'compare' && !result.tagMove.move && result.tagMove.reason).toMatch(
      /not moved backwards unless `tag: latest`/
    )
  })

  it('never moves implicit latest to a prerelease', () => {
    const result = plan({ version: '3.0.0-rc.1', packument: registry })
    expect(result).toMatchObject({ action: 'compare', tagMove: { move: false } })
    expect(result.action === 'compare' && !result.tagMove.move && result.tagMove.reason).toMatch(
      /prerelease/
    )
  })

  it('moves latest backwards, or to a prerelease, when `tag: latest` is explicit', () => {
    expect(plan({ version: '1.0.0', tag: 'latest', packument: registry })).toMatchObject({
      tagMove: { move: true, from: '2.0.0' }
    })
    expect(plan({ version: '3.0.0-rc.1', tag: 'latest', packument: registry })).toMatchObject({
      tagMove: { move: true, from: '2.0.0' }
    })
  })

  it('never moves a tag down under strategy upgrade, explicit or not', () => {
    for (const tag of ['latest', undefined]) {
      const result = plan({ version: '1.0.0', tag, strategy: 'upgrade', packument: registry })
      expect(result).toMatchObject({ action: 'compare', tagMove: { move: false } })
      expect(result.action === 'compare' && !result.tagMove.move && result.tagMove.reason).toMatch(
        /strategy "upgrade" never moves "latest" down from 2\.0\.0 to 1\.0\.0/
      )
    }
    expect(plan({ version: '2.1.0', strategy: 'upgrade', packument: registry })).toMatchObject({
      tagMove: { move: true, from: '2.0.0' }
    })
  })

  it('moves a tag that is not a version (hand-edited) when asked', () => {
    expect(
      plan({ version: '2.0.0', tag: 'odd', packument: packument('2.0.0', ['2.0.0'], { odd: 'x' }) })
    ).toMatchObject({ tagMove: { move: true, from: 'x' } })
  })

  it('under validate-only, finds the version present and compares nothing', () => {
    for (const version of ['1.0.0', '2.0.0', '3.0.0-rc.1']) {
      const result = plan({ version, healthCheck: true, packument: registry })
      expect(result).toMatchObject({ action: 'present', tag: 'latest', oldVersion: '2.0.0' })
      expect(result.action === 'present' && result.reason).toContain(
        `pkg@${version} is already on the registry`
      )
    }
  })

  it('under validate-only, plans a version not yet published as a publish', () => {
    expect(plan({ version: '2.2.0', healthCheck: true, packument: registry })).toMatchObject({
      action: 'publish',
      type: 'minor'
    })
  })
})

describe('releaseType', () => {
  it.each([
    [undefined, '1.0.0', 'initial'],
    ['not-a-version', '1.0.0', 'initial'],
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
