import crypto from 'node:crypto'
import fs from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { Writable } from 'node:stream'
import zlib from 'node:zlib'
import { PublishError, errorMessage } from './errors.js'
import type { TarballDigest } from './manifest.js'

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
