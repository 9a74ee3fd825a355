import { PublishError } from './errors.js'
import { stderrSummary, type NpmResult } from './npm.js'
import { quote } from './secrets.js'

/**
 * What a failed `npm publish` means: a definite error, or "maybe it landed — read the registry
 * back". `exists`: the registry (or npm's own read) says the version is there, so it is never
 * uploaded again; `beforeUpload`: npm refused before sending anything, so it is not this run's.
 */
export type PublishFailure =
  | { kind: 'definite'; error: PublishError }
  | { kind: 'ambiguous'; reason: string; exists?: true; beforeUpload?: true }

interface NpmJsonError {
  code?: string
  summary?: string
  detail?: string
}

/** npm 11's `--json` error object (`{"error": {code, summary, detail}}` on stdout), else stderr. */
export function npmError(result: NpmResult): { code: string; summary: string } {
  const json = (result.json as { error?: NpmJsonError } | undefined)?.error
  const stderrCode = /npm (?:error|ERR!) code (\S+)/.exec(result.stderr)?.[1]
  const code = json?.code ?? stderrCode ?? ''
  const line = (json?.summary || stderrSummary(result.stderr)).split('\n')[0].trim()
  // npm's line may quote the registry's body: the token out (split or cut short too), one line.
  return { code, summary: quote(line, 400) }
}

/**
 * The upload may have landed: read the registry back. `FETCH_ERROR` is minipass-fetch's code for a
 * request or body timeout ("network timeout at: ... PUT"), after the document may have been sent.
 */
const AMBIGUOUS_CODES =
  /^(E409|E5\d\d|E429|ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|EPIPE|ECONNABORTED|ERR_SOCKET_TIMEOUT|UND_ERR_\w+|EAI_AGAIN|FETCH_ERROR)$/

/** npm never reached the registry: nothing can have landed. */
const UNREACHABLE_CODES = /^(ECONNREFUSED|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL)$/

/**
 * npm's text without request lines, URLs and "quoted" names, so that a package or host called
 * "hotpot" or "otp-utils" does not read as a one-time-password demand.
 */
function prose(text: string): string {
  return text
    .replace(/\b(?:GET|PUT|POST|DELETE|HEAD|PATCH)\s+\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/"[^"\n]*"/g, ' ')
}

const OTP_TEXT = /two-factor|\b2fa\b|one[- ]time pass|\botp\b/i

/** The error doctor: one code, a cause and a remedy for every way `npm publish` fails. */
export function diagnosePublish(
  result: NpmResult,
  context: { provenance: boolean; oidc?: boolean }
): PublishFailure {
  const { code, summary } = npmError(result)
  const quoted = code ? `npm ${code}: ${summary}` : `npm: ${summary}`
  const definite = (errorCode: PublishError['code'], hint?: string): PublishFailure => ({
    kind: 'definite',
    error: new PublishError(errorCode, quoted, hint)
  })
  const text = `${summary}\n${result.stderr}`
  // npm and npmjs: "You cannot publish over the previously published versions: 1.0.0." (npm's
  // tag error also says "previously published version", so match only this phrase).
  if (/cannot publish over/i.test(text)) {
    // Without an HTTP code it is npm's own check, before any upload. With one, the registry
    // refused an upload: the version may be an earlier run's, or ours if something replayed it.
    const reason = 'npm says the version is already published'
    return code
      ? { kind: 'ambiguous', reason, exists: true }
      : { kind: 'ambiguous', reason, exists: true, beforeUpload: true }
  }
  if (code === 'E_STAGE_REQUIRED' || /E_STAGE_REQUIRED|may only stage|stage[- ]only/i.test(text)) {
    return definite(
      'PUBLISH_FORBIDDEN',
      'This token (or the package) only allows staged releases: set `stage: true` to publish with `npm stage publish`, then approve the release on npmjs.com.'
    )
  }
  if (AMBIGUOUS_CODES.test(code)) return { kind: 'ambiguous', reason: quoted }
  if (UNREACHABLE_CODES.test(code)) return definite('REGISTRY_UNREACHABLE')
  switch (code) {
    case 'EOTP':
      return definite('OTP_REQUIRED')
    case 'EAUTHIP':
      return definite('TOKEN_CIDR')
    case 'E401':
      // npmjs: 401 {"error": "A One Time Password (OTP) by email is required."} without a challenge.
      if (OTP_TEXT.test(prose(text))) return definite('OTP_REQUIRED')
      // The short-lived OIDC token was refused: the trust relationship, not a token to renew.
      if (context.oidc) return definite('OIDC_REJECTED')
      return definite('TOKEN_INVALID')
    case 'ENEEDAUTH':
      // npm had no credential for the registry it targeted: not a dead token, a wrong target.
      return definite(
        'PUBLISH_FAILED',
        'npm found no credential for the registry it was about to publish to: check that nothing points this package at another registry (a scoped registry setting, publishConfig).'
      )
    case 'E402':
      return definite(
        'PUBLISH_FORBIDDEN',
        'The registry wants payment for a private package: set `access: public` to publish a scoped package publicly.'
      )
    case 'E404':
      return definite(
        'PUBLISH_FORBIDDEN',
        "npmjs answers 404 to an upload when the token cannot write this package: check the token's package list / org access, and that the package name is yours."
      )
    case 'E422':
      if (context.provenance) return definite('PROVENANCE_FAILED')
      return definite(
        'PUBLISH_FAILED',
        'The registry rejected the package document: see the message.'
      )
    case 'E403':
      if (OTP_TEXT.test(prose(text))) return definite('OTP_REQUIRED')
      return definite(
        'PUBLISH_FORBIDDEN',
        "The registry refused the upload: the token may be read-only, revoked, limited to other IP ranges or packages, or the package's settings disallow tokens."
      )
  }
  if (/Cannot implicitly apply the "latest" tag|must specify a tag/i.test(text)) {
    return definite('TAG_REQUIRED')
  }
  if (/marked as private/i.test(text)) return definite('PACKAGE_INVALID')
  // sigstore's own codes (no ID token for it, Fulcio or Rekor refused): npm was signing.
  if (context.provenance && /^(IDENTITY_TOKEN|CA_CREATE|TLOG|TSA)_/.test(code))
    return definite('PROVENANCE_FAILED')
  if (/provenance/i.test(text) && context.provenance) return definite('PROVENANCE_FAILED')
  return definite(
    'PUBLISH_FAILED',
    `npm exited with code ${result.exitCode}; its output is in the "npm publish" group above.`
  )
}
