import * as workflow from './workflow.js'

/**
 * The forms a secret can leak in that a plain substring mask misses: URL-encoded, and base64 at each
 * of the three byte alignments it can take inside a longer encoded string (`user:token`,
 * `_authToken=token`, `token\n`...). For an alignment, only the base64 characters that depend on the
 * secret alone are kept, so the form is found whatever bytes stand before and after it.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret)])
  const bytes = Buffer.from(secret, 'utf8')
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64')
    // A base64 character holds 6 bits: keep those whose bits all come from the secret's bytes.
    const start = Math.ceil((shift * 8) / 6)
    const stableEnd = Math.floor(((shift + bytes.length) * 8) / 6)
    const stable = encoded.slice(start, Math.max(start, stableEnd))
    if (stable.length >= 8) forms.add(stable)
  }
  forms.add(Buffer.from(secret).toString('base64'))
  forms.add(Buffer.from(`:${secret}`).toString('base64'))
  return [...forms].filter((form) => form.length > 0)
}

/** Register a secret and its derived forms with the runner's log masker, before anything prints. */
export function maskSecret(secret: string): void {
  workflow.setSecrets(secretForms(secret))
}
