// Crafted .tgz files for the tarball-hardening tests, built block by block with node-tar's own
// Header and Pax (the tar devDependency, 7.5.22: the same code npm's copy runs), so each archive
// says exactly what the test means, including what `npm pack` would never write: two manifests,
// pax and GNU renames, type 7, entries after a zero block, a body smuggled behind a directory...
import fs from 'node:fs'
import zlib from 'node:zlib'
import { Header, Pax } from 'tar'
import type { HeaderData } from 'tar'

type EntryTypeName = NonNullable<HeaderData['type']>

/** One piece of an archive, in order. */
export type TarPart =
  /** A header (and its body, padded to 512 bytes). `size` defaults to the body's length. */
  | { kind: 'entry'; header: HeaderData; body?: Buffer }
  /** A pax extended header (`x`) for the next entry, or a global one (`g`). */
  | { kind: 'pax'; fields: HeaderData; global?: boolean }
  /** A GNU long-name header (type `L`) naming the next entry. */
  | { kind: 'gnu-long-name'; path: string }
  /** Raw bytes as they are (a zero block, a prebuilt header...). */
  | { kind: 'raw'; data: Buffer }

const MTIME = new Date('2026-01-01T00:00:00Z')

/** A 512-byte header block for `data` (throws if the fields do not fit ustar: use a pax part). */
export function headerBlock(data: HeaderData): Buffer {
  const block = Buffer.alloc(512)
  const header = new Header({
    mode: data.type === 'Directory' ? 0o755 : 0o644,
    uid: 0,
    gid: 0,
    mtime: MTIME,
    uname: '',
    gname: '',
    ...data
  })
  if (header.encode(block)) throw new Error(`header for ${data.path} needs a pax header`)
  return block
}

function padded(data: Buffer): Buffer {
  const pad = (512 - (data.length % 512)) % 512
  return pad ? Buffer.concat([data, Buffer.alloc(pad)]) : data
}

/** The uncompressed tar stream of `parts`, ended by two zero blocks unless `end: false`. */
export function tarBytes(parts: TarPart[], options: { end?: boolean } = {}): Buffer {
  const out: Buffer[] = []
  for (const part of parts) {
    switch (part.kind) {
      case 'entry': {
        const body = part.body ?? Buffer.alloc(0)
        out.push(headerBlock({ size: body.length, ...part.header }))
        if (body.length) out.push(padded(body))
        break
      }
      case 'pax':
        out.push(new Pax({ mtime: MTIME, ...part.fields }, part.global ?? false).encode())
        break
      case 'gnu-long-name': {
        const body = Buffer.from(`${part.path}\0`)
        out.push(
          headerBlock({ path: '././@LongLink', type: 'NextFileHasLongPath', size: body.length })
        )
        out.push(padded(body))
        break
      }
      case 'raw':
        out.push(part.data)
        break
    }
  }
  if (options.end !== false) out.push(Buffer.alloc(1024))
  return Buffer.concat(out)
}

/** Writes `parts` as a gzipped tarball at `file`; returns `file`. */
export function writeTgz(file: string, parts: TarPart[], options: { end?: boolean } = {}): string {
  fs.writeFileSync(file, zlib.gzipSync(tarBytes(parts, options)))
  return file
}

/** A package.json body. */
export function manifestBody(manifest: Record<string, unknown>): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)
}

/** A regular file entry (type `0` unless `type` says otherwise). */
export function fileEntry(
  path: string,
  body: Buffer | string,
  type: EntryTypeName = 'File'
): TarPart {
  return { kind: 'entry', header: { path, type }, body: Buffer.from(body) }
}

/** A header that claims no body, carrying only a link. */
export function linkEntry(
  path: string,
  linkpath: string,
  type: EntryTypeName = 'SymbolicLink'
): TarPart {
  return { kind: 'entry', header: { path, type, linkpath, size: 0 } }
}

/** One zero block: not the end of the archive for node-tar (two in a row are). */
export const ZERO_BLOCK: TarPart = { kind: 'raw', data: Buffer.alloc(512) }
/** The end-of-archive marker. */
export const END_OF_ARCHIVE: TarPart = { kind: 'raw', data: Buffer.alloc(1024) }

/**
 * A type-`0` header whose name ends in `/`: node-tar reads it as a directory of size 0 and parses
 * its "body" as headers, GNU tar skips the body. The body here is `inner` (whole entries).
 */
export function slashSmuggle(path: string, inner: TarPart[]): TarPart[] {
  const body = tarBytes(inner, { end: false })
  return [
    { kind: 'entry', header: { path, type: 'File', size: body.length } },
    { kind: 'raw', data: body }
  ]
}
