// `npm run bundle`: ncc builds into a fresh .dist-build; only a build that succeeded replaces
// dist/, so a failed build never leaves the action without its bundle, and no stale chunk of an
// earlier build survives.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'

const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js')
const BUILD = '.dist-build'
fs.rmSync(BUILD, { recursive: true, force: true })
const args = ['build', 'src/index.ts', '-o', BUILD, '--source-map', '--no-source-map-register']
const { status } = spawnSync(process.execPath, [ncc, ...args, '--license', 'licenses.txt'], {
  stdio: 'inherit'
})
if (status !== 0) {
  fs.rmSync(BUILD, { recursive: true, force: true })
  process.exit(status ?? 1)
}
fs.rmSync('dist', { recursive: true, force: true })
fs.renameSync(BUILD, 'dist')
