/**
 * Every failure the action reports carries one of these stable codes. The text is the default
 * remedy; a thrower may give a more specific one.
 */
export const ERROR_CODES = {
  INPUT_INVALID: 'Check the inputs of this step against the README.',
  REGISTRY_INSECURE:
    'Use an https:// registry URL without credentials, query or fragment (plain http is allowed for loopback hosts only).',
  TOKEN_MALFORMED:
    'Store the token as a secret holding exactly the token, with no spaces or line breaks inside it.',
  TOKEN_INVALID:
    'The registry does not accept this token: create a new granular access token with write access and update the secret.',
  TOKEN_EXPIRED: 'Create a new token (write tokens last at most 90 days) and update the secret.',
  TOKEN_READONLY:
    'This token can only read: create a token with "Read and write" permission for this package.',
  TOKEN_CIDR:
    "The token's allowed IP ranges do not contain this runner's address: widen the ranges, use a runner with a static IP, or switch to trusted publishing.",
  TOKEN_SCOPE:
    "The token's package list does not cover this package: add the package or its scope to the token.",
  OTP_REQUIRED:
    'The registry asks for a one-time password: use a granular token with "Bypass 2FA" enabled, or trusted publishing.',
  PUBLISH_FORBIDDEN:
    "The registry refused the upload: check that the token may publish this package (npmjs answers 404 when the token cannot write it: check the token's package list and org access).",
  VERSION_CONFLICT:
    'This version is already published with different content: bump the version in package.json.',
  TAG_REQUIRED:
    'The version is lower than the current "latest": set the `tag` input (for example `tag: legacy`), or `tag: latest` to move latest back on purpose.',
  PROVENANCE_FAILED:
    'Provenance needs a GitHub-hosted runner and `permissions: id-token: write`: grant it, or set `provenance: false`.',
  PACKAGE_INVALID:
    'Point `package` at a directory with a valid package.json, or at a .tgz made by `npm pack`.',
  REGISTRY_UNREACHABLE:
    'The registry could not be reached: check the `registry` URL, the network and the registry status, then re-run.',
  OIDC_UNAVAILABLE:
    'Trusted publishing needs `permissions: id-token: write`, a GitHub-hosted runner and npm >= 11.5.1.',
  OIDC_REJECTED:
    'The registry refused the ID token: configure a trusted publisher for this package and workflow on the registry.',
  PUBLISH_FAILED: "npm could not publish the package: see npm's message above."
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/** A failure with a stable code, a message that says what went wrong, and a hint that says what to do. */
export class PublishError extends Error {
  readonly code: ErrorCode
  readonly hint: string

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message)
    this.name = 'PublishError'
    this.code = code
    this.hint = hint ?? ERROR_CODES[code]
  }

  /** `[CODE] message. hint` — the one line shown in the failure annotation. */
  get report(): string {
    const sentence = /[.!?]$/.test(this.message) ? this.message : `${this.message}.`
    return `[${this.code}] ${sentence} ${this.hint}`
  }
}

export function isPublishError(error: unknown): error is PublishError {
  return error instanceof Error && error.name === 'PublishError' && 'code' in error
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
