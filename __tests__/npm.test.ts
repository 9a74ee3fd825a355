import { afterEach, describe, expect, it } from '@jest/globals'
import { childEnv, npmCommand, parseJsonOutput } from '../src/npm.js'
import { TOKEN_VARIABLE } from '../src/credentials.js'

const saved = { ...process.env }
afterEach(() => {
  process.env = { ...saved }
})

describe('childEnv', () => {
  it('removes inherited credentials, npm config, inputs and the OIDC request variables', () => {
    Object.assign(process.env, {
      NODE_AUTH_TOKEN: 'a',
      NPM_TOKEN: 'b',
      npm_config_userconfig: '/tmp/x',
      NPM_CONFIG_USERCONFIG: '/tmp/y',
      NPM_CONFIG__AUTH: 'c',
      'npm_config_//evil/:_authToken': 'd',
      INPUT_TOKEN: 'e',
      [TOKEN_VARIABLE]: 'f',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'g',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'h',
      NODE_OPTIONS: '--require /tmp/evil.js',
      NPM_CONFIG_HTTPS_PROXY: 'http://proxy:3128',
      KEEP_ME: 'yes'
    })
    const env = childEnv()
    for (const name of [
      'NODE_AUTH_TOKEN',
      'NPM_TOKEN',
      'npm_config_userconfig',
      'NPM_CONFIG_USERCONFIG',
      'NPM_CONFIG__AUTH',
      'npm_config_//evil/:_authToken',
      'INPUT_TOKEN',
      TOKEN_VARIABLE,
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'NODE_OPTIONS'
    ]) {
      expect(env).not.toHaveProperty([name])
    }
    expect(env['KEEP_ME']).toBe('yes')
    expect(env['NPM_CONFIG_HTTPS_PROXY']).toBe('http://proxy:3128')
    expect(env['PATH']).toBe(process.env['PATH'])
  })

  it('adds only what it is given; keeps the ID-token variables for provenance', () => {
    process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] = 'h'
    const env = childEnv({ [TOKEN_VARIABLE]: 'secret' }, { idToken: true })
    expect(env[TOKEN_VARIABLE]).toBe('secret')
    expect(env['ACTIONS_ID_TOKEN_REQUEST_URL']).toBe('h')
  })

  it("keeps the user's NODE_OPTIONS for a lifecycle script (no credential in reach there)", () => {
    process.env['NODE_OPTIONS'] = '--max-old-space-size=4096'
    expect(childEnv({}, { nodeOptions: true })['NODE_OPTIONS']).toBe('--max-old-space-size=4096')
  })
})

describe('parseJsonOutput', () => {
  it('reads npm --json output, skipping a leading notice', () => {
    expect(parseJsonOutput('npm notice x\n{"a": {"id": "a@1"}}\n')).toEqual({ a: { id: 'a@1' } })
    expect(parseJsonOutput('[{"integrity":"sha512-x"}]')).toEqual([{ integrity: 'sha512-x' }])
    expect(parseJsonOutput('nothing')).toBeUndefined()
  })
})

describe('npmCommand', () => {
  it('runs npm directly off Windows', () => {
    expect(npmCommand('linux', { PATH: '/usr/bin' })).toEqual({
      file: 'npm',
      prefix: [],
      shell: false
    })
  })

  it('runs node + npm-cli.js beside npm.cmd on Windows, with no shell', () => {
    const files = new Set([
      'C:\\hostedtoolcache\\node\\24\\npm.cmd',
      'C:\\hostedtoolcache\\node\\24\\node.exe',
      'C:\\hostedtoolcache\\node\\24\\node_modules\\npm\\bin\\npm-cli.js'
    ])
    const env = { Path: 'C:\\Windows\\system32;C:\\hostedtoolcache\\node\\24' }
    expect(npmCommand('win32', env, (file) => files.has(file))).toEqual({
      file: 'C:\\hostedtoolcache\\node\\24\\node.exe',
      prefix: ['C:\\hostedtoolcache\\node\\24\\node_modules\\npm\\bin\\npm-cli.js'],
      shell: false
    })
  })

  it('falls back to npm.cmd through the shell when the layout is unknown', () => {
    expect(npmCommand('win32', { PATH: 'C:\\x' }, () => false)).toEqual({
      file: 'npm.cmd',
      prefix: [],
      shell: true
    })
  })
})
