import { describe, expect, it } from '@jest/globals'
import { publishedBefore } from '../src/release.js'

/** Whose is a version the registry refused to take again: an earlier run's, or this upload's? */
describe('publishedBefore', () => {
  const start = Date.parse('2026-11-23T12:00:00Z')
  const at = (iso: string) => ({ versions: { '1.0.0': {} }, time: { '1.0.0': iso } })

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

  it('takes an undated or unreadable date as ours', () => {
    expect(publishedBefore({ versions: { '1.0.0': {} } }, '1.0.0', start)).toBe(false)
    expect(publishedBefore({ modified: 'yesterday' }, '1.0.0', start)).toBe(false)
  })
})
