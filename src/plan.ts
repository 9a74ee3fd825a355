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
  /** The tag chosen by the `tag` input or publishConfig.tag; undefined = not chosen (latest). */
  tag?: string
  strategy: 'all' | 'upgrade'
  packument?: Packument
  /** `validate-only`: the token and the registry are checked, not the content. */
  healthCheck: boolean
}

export type Plan =
  | { action: 'publish'; tag: string; oldVersion?: string; type: string }
  /**
   * The version is on the registry: compare the content. The same → nothing to upload (and the
   * tag is moved to it when `tagMove` says so); different → a conflict.
   */
  | { action: 'compare'; tag: string; oldVersion?: string; tagMove: TagMove }
  /** validate-only and the version is on the registry: fine, the content is not compared. */
  | { action: 'present'; tag: string; oldVersion?: string; reason: string }
  | { action: 'skip'; tag: string; oldVersion?: string; type: string; reason: string }

/** What to do with the tag when the version is already published with the same content. */
export type TagMove = { move: true; from?: string } | { move: false; reason: string }

/** Pure: what to do with `name@version`, given the registry's packument and the options. */
export function planPublish(input: PlanInput): Plan {
  const tag = input.tag ?? 'latest'
  const tags = input.packument?.['dist-tags'] ?? {}
  const oldVersion = tags[tag]
  if (input.packument?.versions?.[input.version]) {
    if (input.healthCheck) {
      return {
        action: 'present',
        tag,
        oldVersion,
        reason: `${input.name}@${input.version} is already on the registry (validate-only compares no content)`
      }
    }
    return { action: 'compare', tag, oldVersion, tagMove: tagMove(input, tag, oldVersion) }
  }
  const type = releaseType(oldVersion, input.version)
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

/**
 * The tag of an already published version (semantic-release's addChannel, "promote next to
 * latest"): moved to it when chosen explicitly; `latest` by default only forwards, never to a
 * prerelease; `strategy: upgrade` never moves a tag down.
 */
function tagMove(input: PlanInput, tag: string, current: string | undefined): TagMove {
  const version = input.version
  if (current === version) return { move: false, reason: `"${tag}" already points at ${version}` }
  const comparable = current !== undefined && validVersion(current) !== null
  const lower = comparable && lowerThan(version, current)
  if (input.strategy === 'upgrade' && comparable && !greaterThan(version, current)) {
    return {
      move: false,
      reason: `strategy "upgrade" never moves "${tag}" down from ${current} to ${version}`
    }
  }
  if (input.tag === undefined) {
    if (prereleaseOf(version)) {
      return {
        move: false,
        reason: `${version} is a prerelease: "latest" is not moved to it unless \`tag: latest\` is set`
      }
    }
    if (lower) {
      return {
        move: false,
        reason: `"latest" points at ${current}, newer than ${version}: it is not moved backwards unless \`tag: latest\` is set`
      }
    }
  }
  return { move: true, from: current }
}

/** `initial` (nothing under the tag yet), `same`, `lower`, or semver's diff (major, minor, patch, pre*). */
export function releaseType(oldVersion: string | undefined, version: string): string {
  if (!oldVersion || !validVersion(oldVersion)) return 'initial'
  if (sameVersion(version, oldVersion)) return 'same'
  if (lowerThan(version, oldVersion)) return 'lower'
  return versionDiff(oldVersion, version) ?? 'unknown'
}
