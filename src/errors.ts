/**
 * Every failure the action reports carries one of these stable codes. The text is the default
 * remedy; a thrower may give a more specific one.
 */
export const ERROR_CODES = {
  INPUT_INVALID: 'Check the inputs of this step against the README.',
  REGISTRY_INSECURE:
    'Use an https:// registry URL without credentials, query or fragment (plain http is allowed for loopback hosts only).',
  TOKEN_MALFORMED:
    'Store the token as a secret holding exactly the token: printable ASCII, no spaces or line breaks.',
  TOKEN_INVALID:
    'Create a new granular access token with read and write access to this package and update the secret.',
  TOKEN_EXPIRED: 'Create a new token (write tokens last at most 90 days) and update the secret.',
  TOKEN_EXPIRING:
    'Create a new token now and update the secret, before this one expires and a release fails.',
  TOKEN_READONLY:
    'Create a granular access token with "Read and write" permission for this package.',
  TOKEN_CIDR:
    "Widen the token's allowed IP ranges, publish from a runner with a static address, or use trusted publishing.",
  TOKEN_SCOPE: "Add this package or its scope to the token's packages.",
  OTP_REQUIRED:
    'Use a granular token with "Bypass 2FA" enabled, or trusted publishing / staged publishing.',
  PUBLISH_FORBIDDEN:
    'Check that the token may publish this package: its package list, org access, and that the name is yours (npmjs answers 404 when a token cannot write a package).',
  VERSION_CONFLICT: 'Bump the version in package.json: a published version cannot be replaced.',
  TAG_REQUIRED:
    'Set the `tag` input (for example `tag: next`), or `tag: latest` to move latest on purpose.',
  PROVENANCE_FAILED:
    'Grant `permissions: id-token: write` and publish from a GitHub-hosted runner, or turn provenance off.',
  PACKAGE_INVALID:
    'Point `package` at a directory with a valid package.json, or at a .tgz made by `npm pack`.',
  REGISTRY_UNREACHABLE:
    'Check the `registry` URL, the network and the registry status, then re-run (a rerun never publishes twice).',
  RUNNER_INVALID:
    'Run the action as a step of a GitHub Actions job (RUNNER_TEMP a directory, the command files regular files), or fix the step that changed them.',
  OIDC_UNAVAILABLE:
    'Trusted publishing needs `permissions: id-token: write`, a GitHub-hosted runner and npm >= 11.5.1.',
  OIDC_REJECTED: 'Configure a trusted publisher for this package and workflow on the registry.',
  CANCELLED: 'Re-run the job: a rerun publishes what is missing and leaves what landed alone.',
  PUBLISH_FAILED: "Read npm's message above; re-run once it is fixed."
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

  /** `message. hint` — the annotation's text (its title carries the code). */
  get sentence(): string {
    return `${asSentence(this.message)} ${this.hint}`
  }

  /** `[CODE] message. hint` — the one line for logs and the summary. */
  get report(): string {
    return `[${this.code}] ${this.sentence}`
  }
}

export function asSentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

export function isPublishError(error: unknown): error is PublishError {
  return error instanceof Error && error.name === 'PublishError' && 'code' in error
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Several problems found together (bad inputs), reported in one annotation under the first code. */
export function combine(errors: PublishError[]): PublishError {
  if (errors.length === 1) return errors[0]
  const message = `${errors.length} problems: ${errors.map((e, i) => `(${i + 1}) ${asSentence(e.message)}`).join(' ')}`
  const hints = [...new Set(errors.map((e) => e.hint))]
  return new PublishError(errors[0].code, message, hints.join(' '))
}
