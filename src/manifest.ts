import fs from 'node:fs'
import path from 'node:path'
// semver by function (here and elsewhere): only what is used is bundled and loaded.
import validVersion from 'semver/functions/valid.js'
import cleanVersion from 'semver/functions/clean.js'
import validateName from 'validate-npm-package-name'
import { PublishError, combine, errorMessage } from './errors.js'
import { parseTag } from './inputs.js'

/** The dependency fields a published manifest carries (devDependencies too: pnpm rewrites them). */
export const DEPENDENCY_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'devDependencies'
] as const
export type DependencyField = (typeof DEPENDENCY_FIELDS)[number]

/** What the action needs to know about a package it publishes. */
export interface Manifest {
  name: string
  version: string
  private: boolean
  scripts: Record<string, string>
  /** publishConfig keys npm applies to the publish, read and checked. */
  publishConfig: {
    access?: 'public' | 'restricted'
    tag?: string
    registry?: string
    provenance?: boolean
    /** `@scope:registry` entries, checked against the registry in use later. */
    scopeRegistries: Record<string, string>
  }
  /** `repository` as written (string or `{url}`), for the provenance check. */
  repository?: string
  dependencies: Partial<Record<DependencyField, Record<string, string>>>
  /** npm's rules for names of new packages, when this name breaks them (it may exist already). */
  newNameProblems: string[]
  /** package.json exactly as parsed, for a rewrite (workspace: ranges). */
  raw: Record<string, unknown>
}

/** A package.json bigger than this is not one (npm's own manifests are a few kB). */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024

/**
 * Reads a small text file the action parses (package.json, pnpm-workspace.yaml): only a regular
 * file (a FIFO or /dev/zero behind the name would hang or fill memory), at most
 * MANIFEST_MAX_BYTES.
 */
export function readRegularFile(file: string): string {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
  } catch {
    throw new PublishError('PACKAGE_INVALID', `No ${path.basename(file)} in ${path.dirname(file)}`)
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) {
      throw new PublishError('PACKAGE_INVALID', `${file} is not a regular file`)
    }
    if (stat.size > MANIFEST_MAX_BYTES) {
      throw new PublishError(
        'PACKAGE_INVALID',
        `${file} is ${stat.size} bytes, more than the ${MANIFEST_MAX_BYTES} the action reads`
      )
    }
    const buffer = Buffer.alloc(stat.size)
    let read = 0
    while (read < buffer.length) {
      const n = fs.readSync(fd, buffer, read, buffer.length - read, read)
      if (n === 0) break
      read += n
    }
    return buffer.subarray(0, read).toString('utf8')
  } finally {
    fs.closeSync(fd)
  }
}

/** `<dir>/package.json`, read as `readRegularFile` reads (a UTF-8 byte-order mark is allowed, as npm allows it). */
export function readManifestFile(dir: string): { text: string; file: string } {
  const file = path.join(dir, 'package.json')
  return { text: readRegularFile(file), file }
}

export function parseManifestText(text: string, where: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new PublishError('PACKAGE_INVALID', `${where} is not valid JSON: ${errorMessage(error)}`)
  }
}

/** A directory's package.json, read, parsed and validated. */
export function readDirectoryManifest(dir: string): Manifest {
  const { text, file } = readManifestFile(dir)
  return validateManifest(parseManifestText(text, file), file)
}

/**
 * npm's rules for a manifest it would publish; every problem is reported together. `private` is
 * reported, not refused: a single-package step refuses it, a workspace run skips the package.
 */
export function validateManifest(data: unknown, where: string): Manifest {
  const json = isRecord(data) ? data : {}
  const problems: PublishError[] = []
  const { name, version } = json
  let newNameProblems: string[] = []
  if (typeof name !== 'string' || !name) {
    problems.push(new PublishError('PACKAGE_INVALID', `${where} has no "name"`))
  } else {
    const verdict = validateName(name)
    if (!verdict.validForOldPackages) {
      problems.push(
        new PublishError(
          'PACKAGE_INVALID',
          `${where}: "${name}" is not a valid npm package name (${(verdict.errors ?? []).join('; ')})`
        )
      )
    }
    newNameProblems = verdict.warnings ?? []
  }
  if (typeof version !== 'string' || validVersion(version) === null) {
    problems.push(
      new PublishError(
        'PACKAGE_INVALID',
        `${where} has no valid semver "version"${typeof version === 'string' ? ` ("${version}")` : ''}`
      )
    )
  }
  const config = isRecord(json['publishConfig']) ? json['publishConfig'] : {}
  const unsafe = Object.keys(config).filter((key) => UNSAFE_PUBLISH_CONFIG.test(key))
  if (unsafe.length) {
    problems.push(
      new PublishError(
        'PACKAGE_INVALID',
        `${where} sets publishConfig ${unsafe.map((key) => `"${key}"`).join(', ')}, which npm would apply to the upload (it could route the token through another proxy, certificate or registry)`,
        'Remove these keys from publishConfig; set proxies and certificates on the runner, and the registry with the `registry` input.'
      )
    )
  }
  // libnpmpublish publishes under `manifest.tag || --tag`: a top-level "tag" would outrank the plan.
  if (json['tag'] !== undefined) {
    problems.push(
      new PublishError(
        'PACKAGE_INVALID',
        `${where} has a top-level "tag" field, which npm would publish under instead of the tag the action chose`,
        'Move it to publishConfig.tag (or set the `tag` input).'
      )
    )
  }
  const publishConfig = readPublishConfig(config, where, problems)
  if (problems.length) throw combine(problems)
  const scripts = isRecord(json['scripts']) ? json['scripts'] : {}
  return {
    name: name as string,
    version: cleanVersion(version as string) ?? (version as string),
    private: json['private'] === true,
    scripts: Object.fromEntries(
      Object.entries(scripts).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string'
      )
    ),
    publishConfig,
    repository: repositoryOf(json['repository']),
    dependencies: Object.fromEntries(
      DEPENDENCY_FIELDS.filter((field) => isRecord(json[field])).map((field) => [
        field,
        Object.fromEntries(
          Object.entries(json[field] as Record<string, unknown>).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string'
          )
        )
      ])
    ),
    newNameProblems,
    raw: json
  }
}

function readPublishConfig(
  config: Record<string, unknown>,
  where: string,
  problems: PublishError[]
): Manifest['publishConfig'] {
  const result: Manifest['publishConfig'] = { scopeRegistries: {} }
  const bad = (key: string, expected: string): void => {
    problems.push(
      new PublishError(
        'PACKAGE_INVALID',
        `${where}: publishConfig.${key} must be ${expected}; got ${JSON.stringify(config[key])}`
      )
    )
  }
  const { access, tag, registry, provenance } = config
  if (access !== undefined) {
    if (access === 'public' || access === 'restricted') result.access = access
    else bad('access', '"public" or "restricted"')
  }
  if (tag !== undefined) {
    if (typeof tag !== 'string') bad('tag', 'a string')
    else {
      try {
        result.tag = parseTag(tag, `publishConfig.tag in ${where}`)
      } catch (error) {
        if (error instanceof PublishError)
          problems.push(new PublishError('PACKAGE_INVALID', error.message, error.hint))
        else throw error
      }
    }
  }
  if (registry !== undefined) {
    if (typeof registry === 'string') result.registry = registry
    else bad('registry', 'a URL')
  }
  if (provenance !== undefined) {
    if (provenance === true || provenance === 'true') result.provenance = true
    else if (provenance === false || provenance === 'false') result.provenance = false
    else bad('provenance', 'true or false')
  }
  for (const [key, value] of Object.entries(config)) {
    if (!/^@[^:]+:registry$/.test(key)) continue
    if (typeof value === 'string') result.scopeRegistries[key.slice(0, -':registry'.length)] = value
    else bad(key, 'a URL')
  }
  return result
}

/**
 * npm applies every publishConfig key that is not on its command line as config for the publish.
 * These change where the request goes, how TLS is checked, which credential is sent, or what npm
 * does (a dry run, --force, another cache): a package must not choose them. (`registry` and
 * `@scope:registry` are checked against the registry in use instead; `access`, `tag` and
 * `provenance` are read as the inputs are.)
 */
const UNSAFE_PUBLISH_CONFIG =
  /^(.*proxy|ca|cafile|cert|key|strict-ssl|local-address|dns-?.*|userconfig|globalconfig|prefix|_auth.*|.*token.*|.*password.*|username|email|otp|auth-type|always-auth|\/\/.*|replace-registry-host|maxsockets|fetch-.*|logs-dir|logs-max|cache|cache-.*|scope|scopes|dry-run|force|workspaces?|include-workspace-root|offline|prefer-.*|before|provenance-file|include-staged|include-attestations|json|ignore-scripts|script-shell|node-options|bypass-2fa|cidr|registry-.*)$/i

function repositoryOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return isRecord(value) && typeof value['url'] === 'string' ? value['url'] : undefined
}

/** `owner/repo` of a GitHub repository URL in any npm spelling, else undefined. */
export function githubRepository(repository: string | undefined): string | undefined {
  if (!repository) return undefined
  const match =
    /^(?:github:)?([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(repository) ??
    /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(repository)
  return match?.[1]
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
