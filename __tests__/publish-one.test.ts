import { describe, expect, it } from '@jest/globals'
import { effectiveProvenance, publishedBefore, versionOwner } from '../src/publish-one.js'
import type { Options } from '../src/inputs.js'
import type { PackageTarget } from '../src/target.js'
import type { Packument } from '../src/registry.js'

/** Whose is a version the registry refused to take again: an earlier run's, or this upload's? */
describe('publishedBefore', () => {
  const start = Date.parse('2026-11-23T12:00:00Z')
  const at = (iso: string): Packument => ({ versions: { '1.0.0': {} }, time: { '1.0.0': iso } })

  it('dates the version by its own publish time when the packument has one', () => {
    expect(publishedBefore(at('2026-11-23T11:50:00Z'), '1.0.0', start)).toBe(true)
    expect(publishedBefore(at('2026-11-23T12:00:01Z'), '1.0.0', start)).toBe(false)
  })

  it('allows 30 s of clock skew between runner and registry: within it, the version is ours', () => {
    expect(publishedBefore(at('2026-11-23T11:59:45Z'), '1.0.0', start)).toBe(false)
    expect(publishedBefore(at('2026-11-23T11:59:29Z'), '1.0.0', start)).toBe(true)
  })

  it('falls back to the abbreviated packument\'s "modified"', () => {
    const packument = { versions: { '1.0.0': {} }, modified: '2026-11-23T11:00:00Z' }
    expect(publishedBefore(packument, '1.0.0', start)).toBe(true)
    expect(
      publishedBefore({ ...packument, modified: '2026-11-23T12:00:02Z' }, '1.0.0', start)
    ).toBe(false)
  })

  it('prefers the version’s own time over "modified"', () => {
    const packument = {
      versions: { '1.0.0': {} },
      time: { '1.0.0': '2026-11-23T12:00:05Z' },
      modified: '2026-11-23T11:00:00Z'
    }
    expect(publishedBefore(packument, '1.0.0', start)).toBe(false)
  })

  it('takes an undated or unreadable date as ours', () => {
    expect(publishedBefore({ versions: { '1.0.0': {} } }, '1.0.0', start)).toBe(false)
    expect(publishedBefore({ modified: 'yesterday' }, '1.0.0', start)).toBe(false)
  })
})

describe('versionOwner', () => {
  const start = Date.parse('2026-11-23T12:00:00Z')
  const fresh = { versions: { '1.0.0': {} }, time: { '1.0.0': '2026-11-23T12:00:01Z' } }
  const old = { versions: { '1.0.0': {} }, time: { '1.0.0': '2026-11-23T11:00:00Z' } }
  const owner = (
    failure: { exists?: true; beforeUpload?: true },
    attempt: number,
    packument: Packument = fresh
  ) => versionOwner(failure, attempt, packument, '1.0.0', start)

  it("a duplicate refused on the first attempt is an earlier run's, by npm or by the registry", () => {
    expect(owner({ exists: true, beforeUpload: true }, 1)).toBe('earlier')
    expect(owner({ exists: true }, 1)).toBe('earlier')
  })

  it("a duplicate refused on the retry is this run's first upload, unless dated before it", () => {
    expect(owner({ exists: true, beforeUpload: true }, 2)).toBe('this run')
    expect(owner({ exists: true }, 2)).toBe('this run')
    expect(owner({ exists: true }, 2, old)).toBe('earlier')
  })

  it("a version found after a lost answer (reset, 5xx) is this run's, unless dated before it", () => {
    expect(owner({}, 1)).toBe('this run')
    expect(owner({}, 1, old)).toBe('earlier')
  })
})

describe('effectiveProvenance', () => {
  const target = (provenance?: boolean) =>
    ({
      manifest: { publishConfig: { provenance, scopeRegistries: {} } }
    }) as unknown as PackageTarget
  const options = (provenance?: boolean) => ({ provenance }) as unknown as Options

  it('takes the input, else publishConfig.provenance, else leaves it to npm', () => {
    expect(effectiveProvenance(options(false), target(true))).toBe(false)
    expect(effectiveProvenance(options(true), target(false))).toBe(true)
    expect(effectiveProvenance(options(undefined), target(true))).toBe(true)
    expect(effectiveProvenance(options(undefined), target(undefined))).toBeUndefined()
  })
})
