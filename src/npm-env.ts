import { SCRIPT_MARKER } from './leftovers.js'

/** The variable npm expands in the auth line; it is set only inside the publishing npm's process. */
export const TOKEN_VARIABLE = 'NPM_AUTOMATION_PUBLISH_TOKEN'

/** Network settings a runner may legitimately pass to npm; every other npm_config_* is dropped. */
const KEPT_NPM_CONFIG = new Set(['proxy', 'https_proxy', 'http_proxy', 'noproxy', 'cafile', 'ca'])

export type ChildKind = 'npm' | 'script'

/**
 * A child's environment: inherited credentials and npm config (setup-node's job-wide
 * NPM_CONFIG_USERCONFIG, NODE_AUTH_TOKEN...), the action's inputs and state, and every runner
 * secret (ACTIONS_*: cache, artifact and results access) removed. Only the npm of a provenance
 * publish keeps the ID-token request variables. npm also loses NODE_OPTIONS (it could --require
 * code into the process holding the token), PREFIX / DESTDIR (another global npmrc) and Node's
 * compile cache (V8 code read from a directory others can write).
 */
export function childEnv(
  kind: ChildKind,
  options: { idToken?: boolean; env?: NodeJS.ProcessEnv } = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(options.env ?? process.env)) {
    const lower = name.toLowerCase()
    if (lower.startsWith('npm_config_') && !KEPT_NPM_CONFIG.has(lower.slice(11).replace(/-/g, '_')))
      continue
    if (/^(input|state)_/.test(lower)) continue
    if (['node_auth_token', 'npm_token', TOKEN_VARIABLE.toLowerCase()].includes(lower)) continue
    if (lower.startsWith('actions_')) {
      if (!(options.idToken && lower.startsWith('actions_id_token_request_'))) continue
    }
    // The step's own command files: package code must not write the action's outputs or state.
    if (lower === 'github_output' || lower === 'github_state') continue
    if (
      kind === 'npm' &&
      ['node_options', 'prefix', 'destdir', 'node_compile_cache'].includes(lower)
    )
      continue
    if (lower === SCRIPT_MARKER.toLowerCase()) continue
    env[name] = value
  }
  // npm turns on Node's compile cache (os.tmpdir()/node-compile-cache unless NODE_COMPILE_CACHE
  // says otherwise): V8 code that a lifecycle script, or another user of a shared /tmp, can write
  // and the npm holding the token would run. npm runs without it.
  if (kind === 'npm') env['NODE_DISABLE_COMPILE_CACHE'] = '1'
  return env
}
