import fs from 'node:fs'
import path from 'node:path'
// semver by function (here and elsewhere): only what is used is bundled and loaded.
import validVersion from 'semver/functions/valid.js'
import cleanVersion from 'semver/functions/clean.js'
import { PublishError, errorMessage } from './errors.js'

/** What the action needs to know about the package it publishes. */
export interface Manifest {
  name: string
  version: string
  scripts: Record<string, string>
  /** `publishConfig.access` / `.tag`, which npm applies when the inputs leave them unset. */
  publishConfig: { access?: string; tag?: string }
  /** `repository` as written (string or `{url}`), for the provenance check. */
  repository?: string
}

/** Integrity of a tarball, as the registry stores it in `dist`. */
export interface TarballDigest {
  integrity: string
  shasum: string
}

export async function readManifest(
  packagePath: string,
  kind: 'directory' | 'tarball'
): Promise<Manifest & { digest?: TarballDigest }> {
  if (kind === 'directory') {
    const file = path.join(packagePath, 'package.json')
    let text: string
    try {
      // Sync: one small file on the way to the first request, without an event-loop turn.
      text = fs.readFileSync(file, 'utf8')
    } catch {
      throw new PublishError('PACKAGE_INVALID', `No package.json in ${packagePath}`)
    }
    return validateManifest(parseJson(text, file), file)
  }
  // The tarball reader (zlib, hashing) loads only for a .tgz.
  const { readTarball } = await import('./tarball.js')
  const { manifestText, digest } = await readTarball(packagePath)
  return { ...validateManifest(parseJson(manifestText, packagePath), packagePath), digest }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new PublishError('PACKAGE_INVALID', `${where} is not valid JSON: ${errorMessage(error)}`)
  }
}

export function validateManifest(data: unknown, where: string): Manifest {
  const json = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>
  const { name, version } = json
  if (
    typeof name !== 'string' ||
    !/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)
  ) {
    throw new PublishError('PACKAGE_INVALID', `${where} has no valid "name"`)
  }
  if (typeof version !== 'string' || validVersion(version) === null) {
    throw new PublishError('PACKAGE_INVALID', `${where} has no valid semver "version"`)
  }
  if (json['private'] === true) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `${name} is marked "private": true in ${where}, so npm refuses to publish it`,
      'Remove "private": true from package.json, or point `package` at the package you meant.'
    )
  }
  const scripts = isRecord(json['scripts']) ? json['scripts'] : {}
  const config = isRecord(json['publishConfig']) ? json['publishConfig'] : {}
  const unsafe = Object.keys(config).filter((key) => UNSAFE_PUBLISH_CONFIG.test(key))
  if (unsafe.length) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `${where} sets publishConfig ${unsafe.map((key) => `"${key}"`).join(', ')}, which npm would apply to the upload (it could route the token through another proxy, certificate or registry)`,
      'Remove these keys from publishConfig; set proxies and certificates on the runner, and the registry with the `registry` input.'
    )
  }
  return {
    name,
    version: cleanVersion(version) ?? version,
    scripts: Object.fromEntries(
      Object.entries(scripts).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string'
      )
    ),
    publishConfig: {
      access: typeof config['access'] === 'string' ? config['access'] : undefined,
      tag: typeof config['tag'] === 'string' ? config['tag'] : undefined
    },
    repository: repositoryOf(json['repository'])
  }
}

/**
 * npm applies every publishConfig key as config for the publish. These change where the request
 * goes, how TLS is checked, or which credential is sent: a package must not choose them.
 * (`registry` is safe: the action's `--registry` on the command line wins over it.)
 */
const UNSAFE_PUBLISH_CONFIG =
  /^(.*proxy|ca|cafile|cert|key|strict-ssl|local-address|dns-?.*|userconfig|globalconfig|_auth.*|.*token.*|.*password.*|username|email|otp|always-auth|@.*:registry|\/\/.*|replace-registry-host|maxsockets|fetch-.*)$/i

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
