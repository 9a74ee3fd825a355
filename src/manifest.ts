import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Writable } from 'node:stream'
import zlib from 'node:zlib'
import semver from 'semver'
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
      text = await fs.promises.readFile(file, 'utf8')
    } catch {
      throw new PublishError('PACKAGE_INVALID', `No package.json in ${packagePath}`)
    }
    return validateManifest(parseJson(text, file), file)
  }
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
  if (typeof version !== 'string' || semver.valid(version) === null) {
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
    version: semver.clean(version) ?? version,
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

/**
 * Streams a .tgz once: hashes the file (sha512 + sha1, as the registry's `dist` does) and picks the
 * top-level `package.json` out of the tar stream. Never holds the whole tarball in memory.
 */
export async function readTarball(
  file: string
): Promise<{ manifestText: string; digest: TarballDigest }> {
  const sha512 = crypto.createHash('sha512')
  const sha1 = crypto.createHash('sha1')
  const tar = new TarManifestReader()
  const source = fs.createReadStream(file)
  source.on('data', (chunk) => {
    sha512.update(chunk)
    sha1.update(chunk)
  })
  try {
    await pipeline(source, zlib.createGunzip(), tar)
  } catch (error) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `Cannot read ${file} as a .tgz: ${errorMessage(error)}`
    )
  }
  if (tar.manifest === undefined) {
    throw new PublishError('PACKAGE_INVALID', `${file} holds no package/package.json`)
  }
  return {
    manifestText: tar.manifest,
    digest: { integrity: `sha512-${sha512.digest('base64')}`, shasum: sha1.digest('hex') }
  }
}

/** A minimal tar (ustar) reader that keeps only `<top dir>/package.json`, as npm reads it. */
class TarManifestReader extends Writable {
  manifest?: string
  private buffered = Buffer.alloc(0)
  private remaining = 0
  private padding = 0
  private capture?: Buffer[]

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    try {
      this.consume(chunk)
      done()
    } catch (error) {
      done(error as Error)
    }
  }

  private consume(chunk: Buffer): void {
    let data = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk
    while (data.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length)
        this.capture?.push(data.subarray(0, take))
        this.remaining -= take
        data = data.subarray(take)
        if (this.remaining === 0 && this.capture) {
          this.manifest ??= Buffer.concat(this.capture).toString('utf8')
          this.capture = undefined
        }
        continue
      }
      if (this.padding > 0) {
        const skip = Math.min(this.padding, data.length)
        this.padding -= skip
        data = data.subarray(skip)
        continue
      }
      if (data.length < 512) break
      this.header(data.subarray(0, 512))
      data = data.subarray(512)
    }
    this.buffered = Buffer.from(data)
  }

  private header(block: Buffer): void {
    if (block.every((byte) => byte === 0)) return
    const field = (start: number, length: number): string =>
      block
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '')
    const size = parseInt(field(124, 12).trim() || '0', 8)
    const name = [field(345, 155), field(0, 100)].filter(Boolean).join('/')
    const type = field(156, 1)
    this.remaining = size
    this.padding = (512 - (size % 512)) % 512
    const isFile = type === '' || type === '0'
    if (isFile && /^[^/]+\/package\.json$/.test(name) && this.manifest === undefined) {
      this.capture = []
      if (size === 0) {
        this.manifest = ''
        this.capture = undefined
      }
    }
  }
}
