// `npm run bundle`: ncc builds into a fresh .dist-build; only a build that succeeded replaces
// dist/, so a failed build never leaves the action without its bundle, and no stale chunk of an
// earlier build survives.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js')
const BUILD = '.dist-build'
fs.rmSync(BUILD, { recursive: true, force: true })
// Two bundles: main (runs.main) and post (runs.post), so the post step loads only what it needs.
for (const [entry, out] of [
  ['src/index.ts', BUILD],
  ['src/post-step.ts', `${BUILD}/post`]
]) {
  const args = ['build', entry, '-o', out, '--source-map', '--no-source-map-register', '--minify']
  // ncc's progress stays out of the way; its output is shown only when the build fails.
  const { status, stdout, stderr } = spawnSync(process.execPath, [ncc, ...args], {
    encoding: 'utf8'
  })
  if (status !== 0) {
    process.stderr.write(stdout + stderr)
    fs.rmSync(BUILD, { recursive: true, force: true })
    process.exit(status ?? 1)
  }
}
// npm runs through this wrapper (the token on its stdin): a file of its own beside the bundle.
fs.copyFileSync('src/npm-with-token.cjs', path.join(BUILD, 'npm-with-token.cjs'))
fs.writeFileSync(path.join(BUILD, 'licenses.txt'), licenses(BUILD))
fs.rmSync('dist', { recursive: true, force: true })
fs.renameSync(BUILD, 'dist')
console.log('dist/ rebuilt (main and post bundles).')

/**
 * The licenses of every package bundled anywhere in `dir`, read from the source maps. ncc's own
 * `--license` misses the packages inlined into an ESM entry chunk (semver, ipaddr.js here).
 */
function licenses(dir) {
  const packages = new Set()
  for (const file of fs.readdirSync(dir, { recursive: true })) {
    if (!String(file).endsWith('.js.map')) continue
    const { sources } = JSON.parse(fs.readFileSync(path.join(dir, String(file)), 'utf8'))
    for (const source of sources) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)
      if (match) packages.add(match[1])
    }
  }
  return [...packages]
    .sort()
    .map((name) => {
      const root = path.join('node_modules', name)
      const { license } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
      const file = fs.readdirSync(root).find((f) => /^(license|licence|copying)/i.test(f))
      const text = file ? fs.readFileSync(path.join(root, file), 'utf8').trim() : ''
      return `${name}\n${license}\n${text}\n`
    })
    .join('\n')
}
