import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const PRELOAD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'record-spawns.cjs'
)

/** One process the main step started: its file and argv (never its environment). */
export interface Spawn {
  file: string
  args: string[]
}

/**
 * Records the processes the action's main step starts (through a `--require` preload): `env` goes
 * into runAction's env, `spawns()` reads what was recorded, `npm()` the npm processes among them.
 */
export function spawnRecorder(sandbox: { root: string }, name = 'main') {
  const log = path.join(sandbox.root, `spawns-${name}.jsonl`)
  const spawns = (): Spawn[] =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Spawn)
      : []
  return {
    env: { NODE_OPTIONS: `--require ${PRELOAD}`, SPAWN_LOG: log },
    spawns,
    npm: (): Spawn[] =>
      spawns().filter((s) => s.args.some((a) => /npm-with-token\.cjs$|npm-cli\.js$/.test(a)))
  }
}
