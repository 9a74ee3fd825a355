import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { secretForms } from '../../src/secrets.js'

/**
 * Every form of the token a leak could take: the masker's own forms (plain, URL-encoded, base64 at
 * each alignment), and forms computed here independently of it, which the runner would not mask
 * at all (hex, base64url, base64 of base64) — so a form the masker forgets still shows here.
 */
export function leakForms(token: string): string[] {
  const bytes = Buffer.from(token)
  return [
    ...secretForms(token),
    token,
    encodeURIComponent(token),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    Buffer.from(bytes.toString('base64')).toString('base64')
  ]
}

/** stdout as the runner logs it: `::add-mask::` commands are consumed, not printed. */
export function loggedText(stdout: string): string {
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const full = path.join(entry.parentPath, entry.name)
    return entry.isFile() ? [full] : []
  })
}

/**
 * Where the token (in any form) can be found: named texts (streams, files already read) and every
 * file under `dirs` (tarballs decompressed too). Returns the places; empty means clean.
 */
export function findLeaks(
  token: string,
  sources: { texts?: Record<string, string>; dirs?: string[] }
): string[] {
  const forms = leakForms(token).map((form) => Buffer.from(form))
  const found: string[] = []
  const check = (name: string, data: Buffer): void => {
    if (forms.some((form) => data.includes(form))) found.push(name)
  }
  for (const [name, text] of Object.entries(sources.texts ?? {})) check(name, Buffer.from(text))
  for (const dir of sources.dirs ?? []) {
    for (const file of filesUnder(dir)) {
      const data = fs.readFileSync(file)
      check(file, data)
      if (/\.(tgz|gz)$/.test(file)) {
        try {
          check(`${file} (decompressed)`, zlib.gunzipSync(data))
        } catch {
          // not gzip after all
        }
      }
    }
  }
  return found
}

/** Leak sources of one runAction() result. */
export function runSources(
  run: {
    main: { stdout: string; stderr: string }
    post?: { stdout: string; stderr: string }
    sandbox: { runnerTemp: string; home: string; workspace: string }
  },
  extraDirs: string[] = []
) {
  return {
    texts: {
      'main stdout': loggedText(run.main.stdout),
      'main stderr': run.main.stderr,
      'post stdout': loggedText(run.post?.stdout ?? ''),
      'post stderr': run.post?.stderr ?? ''
    },
    dirs: [run.sandbox.runnerTemp, run.sandbox.home, run.sandbox.workspace, ...extraDirs]
  }
}

/** What is left under RUNNER_TEMP besides the runner's own file-command files. */
export function leftovers(runnerTemp: string): string[] {
  return fs.readdirSync(runnerTemp).filter((name) => name !== '_runner_file_commands')
}
