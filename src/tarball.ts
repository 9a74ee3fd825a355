import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { pipeline } from 'node:stream/promises'
import type * as Tar from 'tar'
import { PublishError, errorMessage } from './errors.js'
import { MANIFEST_MAX_BYTES } from './manifest.js'
import type { NpmInstall } from './npm-install.js'

/** Integrity of a tarball, as the registry stores it in `dist`. */
export interface TarballDigest {
  integrity: string
  shasum: string
}

export interface TarballRead extends TarballDigest {
  /** The one entry npm will extract as package.json, as text. */
  manifestText: string
  entries: number
}

type TarModule = typeof Tar

/**
 * node-tar as the npm that publishes has it (`<npm>/node_modules/tar`): the archive is read with
 * the very parser and path rules npm extracts it with, whatever its version.
 */
export function npmTar(install: NpmInstall): TarModule {
  const { createRequire } = process.getBuiltinModule('node:module')
  try {
    return createRequire(install.cli)(path.join(install.root, 'node_modules', 'tar')) as TarModule
  } catch (error) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `Cannot read the tarball as npm does: npm's own tar library was not found in ${install.root} (${errorMessage(error)})`,
      'Use the npm that actions/setup-node installs, or publish the package directory.'
    )
  }
}

/** Problems the extraction npm runs would make fatal (node-tar's Unpack). */
const FATAL = new Set(['TAR_BAD_ARCHIVE', 'TAR_ABORT'])
/** pacote reads with fs-minipass's 16 MiB chunks; node-tar's decompression-ratio check depends on it. */
const CHUNK = 16 * 1024 * 1024
const EXTRACT_ROOT = path.resolve('/npm-automation-publish-extract')
const MANIFEST_TARGET = path.join(EXTRACT_ROOT, 'package.json')

/**
 * Reads a .tgz once: hashes it (sha512 + sha1, as the registry's `dist` does) and maps every entry
 * to the path npm's extraction gives it (pacote: node-tar, strip 1, only file entries, links
 * dropped; node-tar's own path checks). Exactly one entry may become package.json, and it must be
 * a regular file: two manifests (a second one later in the archive, a pax `path=` rename, a GNU
 * long name, an entry smuggled in another's body...) are refused. Never holds the archive in memory.
 */
export function readTarball(file: string, tar: TarModule): Promise<TarballRead> {
  const checkPath = Object.getOwnPropertySymbols(tar.Unpack.prototype).find(
    (symbol) => symbol.description === 'checkPath'
  )
  if (!checkPath) {
    return Promise.reject(
      new PublishError(
        'PACKAGE_INVALID',
        "npm's tar library has no path check the action knows; cannot read the tarball as npm does"
      )
    )
  }
  return new Promise((resolve, reject) => {
    const sha512 = crypto.createHash('sha512')
    const sha1 = crypto.createHash('sha1')
    const hits: { index: number; path: string; type: string }[] = []
    const extracted: string[] = []
    let entries = 0
    let manifest: Buffer | undefined
    let failed = false
    const refuse = (message: string): void =>
      fail(
        new PublishError(
          'PACKAGE_INVALID',
          `${file}: ${message}`,
          'Pack the package with `npm pack`: npm would read another package.json than the action checked.'
        )
      )
    const fail = (error: Error): void => {
      if (failed) return
      failed = true
      source.destroy()
      reject(
        error instanceof PublishError
          ? error
          : new PublishError(
              'PACKAGE_INVALID',
              `Cannot read ${file} as a .tgz: ${errorMessage(error)}`
            )
      )
    }
    // An Unpack only as the holder of node-tar's path rules (strip 1 as pacote); it touches no disk.
    const mapper = new tar.Unpack({ cwd: EXTRACT_ROOT, strip: 1 })
    mapper.on('warn', () => undefined)
    mapper.on('error', () => undefined)
    const parser = new tar.Parser({
      onwarn: (code: string, message: string | Error, data?: { tarCode?: string }) => {
        if (FATAL.has(code) || (data?.tarCode && FATAL.has(data.tarCode)))
          fail(new Error(`${code}: ${String(message)}`))
      }
    })
    parser.on('error', fail)
    parser.on('entry', (entry: Tar.ReadEntry) => {
      const index = entries++
      const probe = { path: entry.path, linkpath: entry.linkpath, type: entry.type } as {
        absolute?: string
      } & Record<string, unknown>
      const mapped = (mapper as unknown as Record<symbol, (e: unknown) => boolean>)[checkPath](
        probe
      )
      const target = mapped ? probe.absolute : undefined
      const isFile = /File$/.test(entry.type) // pacote extracts File, OldFile, ContiguousFile only
      if (target?.includes('\0'))
        return refuse(`entry #${index} has a NUL in its path (npm would crash on it)`)
      if (target && isFile) extracted.push(target)
      if (target === MANIFEST_TARGET) {
        hits.push({ index, path: entry.path, type: entry.type })
        if (isFile) {
          if (entry.size > MANIFEST_MAX_BYTES)
            return refuse(`its package.json is ${entry.size} bytes`)
          const chunks: Buffer[] = []
          entry.on('data', (chunk: Buffer) => chunks.push(chunk))
          entry.on('end', () => (manifest = Buffer.concat(chunks)))
          return
        }
      }
      entry.resume()
    })
    parser.on('end', () => {
      if (failed) return
      if (hits.length !== 1) {
        return refuse(
          hits.length === 0
            ? 'no entry becomes package/package.json'
            : `${hits.length} entries become package/package.json when npm extracts it (${hits.map((h) => `#${h.index} ${JSON.stringify(h.path)} (${h.type})`).join(', ')})`
        )
      }
      const [hit] = hits
      if (!/^(File|OldFile|ContiguousFile)$/.test(hit.type))
        return refuse(`its package.json entry is a ${hit.type}, not a file`)
      if (extracted.some((target) => target.startsWith(`${MANIFEST_TARGET}/`))) {
        return refuse('an entry would make package.json a directory')
      }
      resolve({
        integrity: `sha512-${sha512.digest('base64')}`,
        shasum: sha1.digest('hex'),
        manifestText: (manifest ?? Buffer.alloc(0)).toString('utf8'),
        entries
      })
    })
    const source = fs.createReadStream(file, { highWaterMark: CHUNK })
    source.on('error', fail)
    source.on('data', (chunk) => {
      const buffer = chunk as Buffer
      sha512.update(buffer)
      sha1.update(buffer)
      if (parser.write(buffer) === false) {
        source.pause()
        parser.once('drain', () => source.resume())
      }
    })
    source.on('end', () => parser.end())
  })
}

/**
 * A copy of `file` in a directory only this run writes to (npm reads a tarball three times while
 * it publishes: the copy is what was checked, whatever happens to the original).
 */
export function privateCopy(file: string, dir: string): string {
  const copy = path.join(dir, `input-${crypto.randomUUID()}.tgz`)
  fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL)
  return copy
}

/**
 * Writes `dest`: the tarball `src` (made by `npm pack`) with its package/package.json replaced by
 * `manifestText`; every other entry kept as is (path, mode, mtime, contents). For `workspace:`
 * ranges, which npm would publish verbatim.
 */
export async function replaceManifest(
  src: string,
  dest: string,
  manifestText: string,
  tar: TarModule
): Promise<void> {
  const parser = new tar.Parser()
  const gzip = zlib.createGzip({ level: 9 })
  const out = fs.createWriteStream(dest, { flags: 'wx', mode: 0o600 })
  const done = pipeline(gzip, out)
  const write = (buffer: Buffer): void => {
    gzip.write(buffer)
  }
  const header = (fields: Tar.HeaderData): void => {
    const block = Buffer.alloc(512)
    const h = new tar.Header(fields)
    if (h.encode(block)) {
      // A path or size the ustar fields cannot hold goes in a pax header first.
      write(
        new tar.Pax({
          path: fields.path,
          linkpath: fields.linkpath,
          size: fields.size,
          mtime: fields.mtime
        }).encode()
      )
      h.encode(block)
    }
    write(block)
  }
  const padded = (data: Buffer): void => {
    write(data)
    const pad = (512 - (data.length % 512)) % 512
    if (pad) write(Buffer.alloc(pad))
  }
  let replaced = 0
  const entries: Promise<void>[] = []
  parser.on('entry', (entry: Tar.ReadEntry) => {
    const chunks: Buffer[] = []
    entry.on('data', (chunk: Buffer) => chunks.push(chunk))
    entries.push(
      new Promise((resolve) =>
        entry.on('end', () => {
          const isManifest = /^[^/]+\/package\.json$/.test(entry.path) && /File$/.test(entry.type)
          const body = isManifest ? Buffer.from(manifestText) : Buffer.concat(chunks)
          if (isManifest) replaced++
          header({
            path: entry.path,
            mode: entry.mode,
            uid: entry.uid,
            gid: entry.gid,
            size: body.length,
            mtime: entry.mtime,
            type: entry.type,
            linkpath: entry.linkpath,
            uname: entry.uname,
            gname: entry.gname
          })
          padded(body)
          resolve()
        })
      )
    )
  })
  await pipeline(fs.createReadStream(src), parser as unknown as NodeJS.WritableStream)
  await Promise.all(entries)
  write(Buffer.alloc(1024))
  gzip.end()
  await done
  if (replaced !== 1) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `npm pack wrote ${replaced} package.json entries into ${src}`
    )
  }
}
