import * as core from '@actions/core'
import validVersion from 'semver/functions/valid.js'
import lowerThan from 'semver/functions/lt.js'
import { PublishError, errorMessage } from './errors.js'
import type { Options } from './inputs.js'
import { npmVersion } from './npm.js'
import { RegistryClient } from './registry.js'
import { maskSecret, quote } from './secrets.js'

/** How this run authenticates the uploads, and why. */
export interface AuthChoice {
  method: 'token' | 'oidc'
  /** One sentence for the summary: why this method. */
  reason: string
  /** The credential npm gets for a package: the input token, or a short-lived token from an exchange. */
  tokenFor(packageName: string): Promise<string>
}

const OIDC_MIN_NPM = '11.5.1'

/** Pure: are the runner's ID-token request variables there (`permissions: id-token: write`)? */
export function idTokenAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL'] && env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'])
}

/**
 * `auth: token` uses the token; `oidc` exchanges a GitHub ID token for a short-lived npm token per
 * package (trusted publishing) or fails saying what is missing; `auto` tries OIDC when the job can
 * request an ID token and falls back to the token, saying why.
 */
export async function chooseAuth(
  options: Options,
  registry: URL,
  firstPackage: string
): Promise<AuthChoice> {
  const tokenChoice = (reason: string): AuthChoice => ({
    method: 'token',
    reason,
    tokenFor: () => Promise.resolve(options.token)
  })
  if (options.auth === 'token') return tokenChoice('`auth: token`')
  if (options.auth === 'auto' && !idTokenAvailable()) {
    return tokenChoice(
      '`auth: auto` and this job cannot request an ID token (no `id-token: write`)'
    )
  }
  try {
    await checkOidcPossible()
    // The first exchange proves the trust relationship; every package gets its own token.
    const first = await exchange(registry, firstPackage)
    const tokens = new Map([[firstPackage, Promise.resolve(first)]])
    return {
      method: 'oidc',
      reason: 'trusted publishing: a GitHub ID token was exchanged for a short-lived npm token',
      tokenFor: (name) => {
        if (!tokens.has(name)) tokens.set(name, exchange(registry, name))
        return tokens.get(name) as Promise<string>
      }
    }
  } catch (error) {
    if (options.auth === 'oidc') throw error
    const why = error instanceof PublishError ? error.report : errorMessage(error)
    core.warning(`Trusted publishing was not possible, publishing with the token instead: ${why}`, {
      title: 'Trusted publishing not used'
    })
    return tokenChoice(`\`auth: auto\` fell back to the token: ${why}`)
  }
}

async function checkOidcPossible(): Promise<void> {
  if (!idTokenAvailable()) {
    throw new PublishError(
      'OIDC_UNAVAILABLE',
      'Trusted publishing needs an ID token, and this job cannot request one',
      'Add `permissions: id-token: write` to the job (and to the calling workflow of a reusable one).'
    )
  }
  if (process.env['RUNNER_ENVIRONMENT'] !== 'github-hosted') {
    throw new PublishError(
      'OIDC_UNAVAILABLE',
      `npm trusted publishing accepts GitHub-hosted runners only; this runner is ${process.env['RUNNER_ENVIRONMENT'] || 'unknown'}`,
      'Run the publish job on a GitHub-hosted runner, or use `auth: token`.'
    )
  }
  const npm = await npmVersion()
  if (!validVersion(npm) || lowerThan(npm, OIDC_MIN_NPM)) {
    throw new PublishError(
      'OIDC_UNAVAILABLE',
      `Trusted publishing needs npm >= ${OIDC_MIN_NPM}; this runner has npm ${npm}`,
      'Use actions/setup-node with `node-version: 24` (npm 11), or run `npm install -g npm@11` before this step.'
    )
  }
}

async function exchange(registry: URL, packageName: string): Promise<string> {
  let idToken: string
  try {
    idToken = await core.getIDToken(`npm:${registry.hostname}`)
  } catch (error) {
    throw new PublishError(
      'OIDC_UNAVAILABLE',
      `Could not get a GitHub ID token: ${quote(errorMessage(error))}`
    )
  }
  maskSecret(idToken)
  const client = new RegistryClient(registry, undefined)
  try {
    const answer = await client.exchangeIdToken(packageName, idToken)
    const token = (answer.body as { token?: unknown } | undefined)?.token
    if (answer.status === 201 || answer.status === 200) {
      if (typeof token !== 'string' || !token) {
        throw new PublishError(
          'OIDC_REJECTED',
          'The registry answered the exchange without a token'
        )
      }
      maskSecret(token)
      return token
    }
    const message = (answer.body as { message?: unknown } | undefined)?.message
    const exists = answer.status === 404 ? await client.packument(packageName) : true
    throw new PublishError(
      'OIDC_REJECTED',
      `The registry refused the ID token (HTTP ${answer.status}${typeof message === 'string' ? `: ${quote(message)}` : ''}) for ${describeClaims(idToken)}`,
      exists
        ? `Configure a trusted publisher for ${packageName} on the registry that names this repository and workflow file (and environment, if any), with "npm publish" allowed; check that package.json's repository.url matches this repository.`
        : `${packageName} does not exist yet and trusted publishing cannot create a package: publish the first version with a token (\`auth: token\`), then configure the trusted publisher.`
    )
  } finally {
    await client.close()
  }
}

/** The non-secret claims a trusted publisher is matched on, to explain a mismatch. */
export function describeClaims(jwt: string): string {
  try {
    const payload = JSON.parse(
      Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')
    ) as Record<string, unknown>
    const parts = ['repository', 'workflow_ref', 'environment']
      .filter((claim) => typeof payload[claim] === 'string' && payload[claim])
      .map((claim) => `${claim}=${quote(String(payload[claim]), 120)}`)
    return parts.length ? parts.join(', ') : 'this workflow'
  } catch {
    return 'this workflow'
  }
}
