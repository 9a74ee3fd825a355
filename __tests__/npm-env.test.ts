/**
 * childEnv: what npm and lifecycle scripts inherit. Runner secrets (ACTIONS_*), inherited npm
 * configuration and credentials, the action's inputs and state, and the step's own command files
 * never reach them; the ID-token request variables reach only a provenance npm.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { childEnv, TOKEN_VARIABLE } from '../src/npm-env.js'
import { SCRIPT_MARKER } from '../src/leftovers.js'

/** What a GitHub-hosted runner (with setup-node's npm config) hands a step, and more. */
const RUNNER: NodeJS.ProcessEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/runner',
  CI: 'true',
  GITHUB_WORKSPACE: '/home/runner/work/repo/repo',
  GITHUB_REPOSITORY: 'acme/repo',
  GITHUB_STEP_SUMMARY: '/home/runner/work/_temp/_runner_file_commands/step_summary_x',
  GITHUB_OUTPUT: '/home/runner/work/_temp/_runner_file_commands/set_output_x',
  GITHUB_STATE: '/home/runner/work/_temp/_runner_file_commands/save_state_x',
  HTTPS_PROXY: 'http://proxy.internal:3128',
  NO_PROXY: 'localhost',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token',
  ACTIONS_RUNTIME_URL: 'https://pipelines.actions.githubusercontent.com/x/',
  ACTIONS_RESULTS_URL: 'https://results-receiver.actions.githubusercontent.com/',
  ACTIONS_CACHE_URL: 'https://artifactcache.actions.githubusercontent.com/x/',
  ACTIONS_CACHE_SERVICE_V2: 'True',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-request-token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/x/idtoken',
  actions_lowercase_secret: 'x',
  NODE_AUTH_TOKEN: 'setup-node-token',
  NPM_TOKEN: 'npm-token',
  [TOKEN_VARIABLE]: 'our-token',
  [SCRIPT_MARKER]: 'an-earlier-marker',
  NPM_CONFIG_USERCONFIG: '/home/runner/work/_temp/.npmrc',
  npm_config_registry: 'https://evil.example/',
  npm_config__auth: 'dXNlcjpwYXNz',
  'npm_config_//registry.npmjs.org/:_authToken': 'leaked',
  npm_config_globalconfig: '/tmp/global',
  npm_config_ignore_scripts: 'false',
  NPM_CONFIG_HTTPS_PROXY: 'http://proxy.internal:3128',
  'npm_config_https-proxy': 'http://proxy.internal:3128',
  npm_config_proxy: 'http://proxy.internal:3128',
  npm_config_http_proxy: 'http://proxy.internal:3128',
  npm_config_noproxy: 'localhost',
  npm_config_cafile: '/etc/ssl/corp.pem',
  NPM_CONFIG_CA: '-----BEGIN CERTIFICATE-----',
  INPUT_TOKEN: 'the-token',
  'INPUT_DRY-RUN': 'false',
  STATE_credentialsDir: '/home/runner/work/_temp/npm-automation-publish-x',
  NODE_OPTIONS: '--require /tmp/evil.js',
  PREFIX: '/tmp/prefix',
  DESTDIR: '/tmp/destdir'
}

const NEVER = [
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'actions_lowercase_secret',
  'NODE_AUTH_TOKEN',
  'NPM_TOKEN',
  TOKEN_VARIABLE,
  SCRIPT_MARKER,
  'NPM_CONFIG_USERCONFIG',
  'npm_config_registry',
  'npm_config__auth',
  'npm_config_//registry.npmjs.org/:_authToken',
  'npm_config_globalconfig',
  'npm_config_ignore_scripts',
  'INPUT_TOKEN',
  'INPUT_DRY-RUN',
  'STATE_credentialsDir'
]

const KEPT_NETWORK = [
  'NPM_CONFIG_HTTPS_PROXY',
  'npm_config_https-proxy',
  'npm_config_proxy',
  'npm_config_http_proxy',
  'npm_config_noproxy',
  'npm_config_cafile',
  'NPM_CONFIG_CA'
]

const ORDINARY = [
  'PATH',
  'HOME',
  'CI',
  'GITHUB_WORKSPACE',
  'GITHUB_REPOSITORY',
  'GITHUB_STEP_SUMMARY',
  'HTTPS_PROXY',
  'NO_PROXY'
]

const ID_TOKEN = ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL']

describe('childEnv', () => {
  it.each(['npm', 'script'] as const)(
    'strips runner secrets, credentials, npm config, inputs, state and command files for %s',
    (kind) => {
      const env = childEnv(kind, { env: RUNNER })
      for (const name of [...NEVER, ...ID_TOKEN])
        expect([name, env[name]]).toEqual([name, undefined])
      for (const name of [...KEPT_NETWORK, ...ORDINARY])
        expect([name, env[name]]).toEqual([name, RUNNER[name]])
    }
  )

  it('keeps the ID-token request variables only when asked (a provenance npm), and no other ACTIONS_*', () => {
    const env = childEnv('npm', { env: RUNNER, idToken: true })
    for (const name of ID_TOKEN) expect(env[name]).toBe(RUNNER[name])
    expect(
      Object.keys(env)
        .filter((n) => /^actions_/i.test(n))
        .sort()
    ).toEqual(ID_TOKEN)
    expect(childEnv('npm', { env: RUNNER, idToken: false })).not.toHaveProperty(ID_TOKEN[0])
  })

  it('drops NODE_OPTIONS, PREFIX and DESTDIR for npm only: a script keeps the user’s settings', () => {
    const npm = childEnv('npm', { env: RUNNER })
    const script = childEnv('script', { env: RUNNER })
    for (const name of ['NODE_OPTIONS', 'PREFIX', 'DESTDIR']) {
      expect(npm).not.toHaveProperty([name])
      expect(script[name]).toBe(RUNNER[name])
    }
  })

  it('adds nothing: every variable it returns was there', () => {
    const env = childEnv('script', { env: RUNNER })
    for (const [name, value] of Object.entries(env)) expect(RUNNER[name]).toBe(value)
  })

  describe('reading process.env by default', () => {
    const saved = { ...process.env }
    afterEach(() => {
      process.env = { ...saved }
    })

    it('strips from this process’s environment', () => {
      process.env['ACTIONS_RUNTIME_TOKEN'] = 'runtime-token'
      process.env['INPUT_TOKEN'] = 'the-token'
      process.env['KEEP_ME'] = 'yes'
      const env = childEnv('npm')
      expect(env).not.toHaveProperty('ACTIONS_RUNTIME_TOKEN')
      expect(env).not.toHaveProperty('INPUT_TOKEN')
      expect(env['KEEP_ME']).toBe('yes')
    })
  })
})
