import { prewarm } from './npm-worker.js'

// Imported first by the entry, so this runs before the rest of the bundle is evaluated: an npm
// starts loading itself while the action loads and checks (it waits for a job, and holds no token
// until it gets one). The raw inputs are only a hint here — a .tgz or a health check will likely
// need no npm; the inputs proper are read by inputs.ts.
const pkg = process.env['INPUT_PACKAGE'] ?? ''
const healthCheck = (process.env['INPUT_VALIDATE-ONLY'] ?? '').trim().toLowerCase() === 'true'
if (!/\.(tgz|tar\.gz)\s*$/.test(pkg) && !healthCheck) prewarm()
