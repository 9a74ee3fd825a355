// Starts Verdaccio on 127.0.0.1:0 with a throw-away storage dir, prints {"port": N} once it
// listens, and shuts down on SIGTERM/SIGINT. Runs in its own process so that npm children of the
// caller never block its event loop.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runServer } from 'verdaccio'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-verdaccio-'))
const extra = process.env.VERDACCIO_EXTRA_CONFIG
  ? JSON.parse(process.env.VERDACCIO_EXTRA_CONFIG)
  : {}
const server = await runServer({
  configPath: path.join(dir, 'config.yaml'),
  storage: path.join(dir, 'storage'),
  auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 1000, rounds: 4 } },
  uplinks: {},
  packages: {
    '@*/*': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
    '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' }
  },
  log: { type: 'stdout', format: 'json', level: 'fatal' },
  web: { enable: false },
  middlewares: { audit: { enabled: false } },
  userRateLimit: { windowMs: 60000, max: 100000 },
  ...extra
})
await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
process.stdout.write(`${JSON.stringify({ port: server.address().port, storage: dir })}\n`)

const stop = () => {
  server.closeAllConnections()
  server.close(() => {
    fs.rmSync(dir, { recursive: true, force: true })
    process.exit(0)
  })
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
