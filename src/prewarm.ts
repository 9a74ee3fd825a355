import fs from 'node:fs'
import path from 'node:path'
import { prewarm } from './npm-worker.js'

// Imported first by the entry, so this runs before the rest of the bundle is evaluated: an npm
// starts loading itself while the action loads and checks (it waits for a job, and holds no token
// until it gets one). The raw inputs are only a hint here — a health check needs no npm, nor does
// the rerun of a small .tgz (hashed in-process); a big .tgz takes long enough to read that its
// npm is worth starting at once. The inputs proper are read by inputs.ts.
const BIG_TARBALL = 1024 * 1024

function needsNpmSoon(): boolean {
  if ((process.env['INPUT_VALIDATE-ONLY'] ?? '').trim().toLowerCase() === 'true') return false
  const pkg = (process.env['INPUT_PACKAGE'] ?? '').trim()
  if (!/\.(tgz|tar\.gz)$/.test(pkg)) return true
  try {
    const file = path.resolve(process.env['GITHUB_WORKSPACE'] || process.cwd(), pkg)
    return fs.statSync(file).size >= BIG_TARBALL
  } catch {
    return false
  }
}

if (needsNpmSoon()) prewarm()
