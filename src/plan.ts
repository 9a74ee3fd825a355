import validVersion from 'semver/functions/valid.js'
import greaterThan from 'semver/functions/gt.js'
import lowerThan from 'semver/functions/lt.js'
import majorOf from 'semver/functions/major.js'
import prereleaseOf from 'semver/functions/prerelease.js'
import sameVersion from 'semver/functions/eq.js'
import versionDiff from 'semver/functions/diff.js'
import { PublishError } from './errors.js'
import type { Packument } from './registry.js'

export interface PlanInput {
  name: string
  version: string
  /** The tag the user chose; undefined = not chosen (then `publishConfig.tag`, then latest). */
  tag?: string
  strategy: 'all' | 'upgrade'
  packument?: Packument
}

export type Plan =
  | { action: 'publish'; tag: string; oldVersion?: string; type: string }
  /** The version is on the registry: publish nothing if its integrity is ours, else VERSION_CONFLICT. */
  | { action: 'compare'; tag: string; oldVersion?: string; type: 'same'; published: string }
  | { action: 'skip'; tag: string; oldVersion?: string; type: string; reason: string }

/** Pure: what to do with `name@version`, given the registry's packument and the options. */
export function planPublish(input: PlanInput): Plan {
  const tag = input.tag ?? 'latest'
  const tags = input.packument?.['dist-tags'] ?? {}
  const oldVersion = tags[tag]
  const type = releaseType(oldVersion, input.version)
  const published = input.packument?.versions?.[input.version]
  if (published) {
    const integrity = published.dist?.integrity ?? ''
    return { action: 'compare', tag, oldVersion, type: 'same', published: integrity }
  }
  // A dist-tag that is not a version (hand-edited) cannot be compared: treat it as absent.
  const comparable = oldVersion !== undefined && validVersion(oldVersion) !== null
  if (input.strategy === 'upgrade' && comparable && !greaterThan(input.version, oldVersion)) {
    return {
      action: 'skip',
      tag,
      oldVersion,
      type,
      reason: `strategy "upgrade": ${input.version} is not greater than ${tag} (${oldVersion})`
    }
  }
  if (input.tag === undefined) {
    const latest = tags['latest']
    if (latest && validVersion(latest) && lowerThan(input.version, latest)) {
      throw new PublishError(
        'TAG_REQUIRED',
        `${input.name}@${input.version} is lower than the current latest (${latest}); publishing it under "latest" would move latest backwards`,
        `Set \`tag\` to a name for this line (for example \`tag: v${majorOf(input.version)}-latest\`), or \`tag: latest\` if that is what you want.`
      )
    }
    if (prereleaseOf(input.version)) {
      throw new PublishError(
        'TAG_REQUIRED',
        `${input.name}@${input.version} is a prerelease and no \`tag\` was chosen (npm refuses to put prereleases on "latest" implicitly)`,
        'Set `tag` (for example `tag: next`), or `tag: latest` if that is what you want.'
      )
    }
  }
  return { action: 'publish', tag, oldVersion, type }
}

/** `initial` (nothing under the tag yet), `same`, `lower`, or semver's diff (major, minor, patch, pre*). */
export function releaseType(oldVersion: string | undefined, version: string): string {
  if (!oldVersion || !validVersion(oldVersion)) return 'initial'
  if (sameVersion(version, oldVersion)) return 'same'
  if (lowerThan(version, oldVersion)) return 'lower'
  return versionDiff(oldVersion, version) ?? 'unknown'
}
