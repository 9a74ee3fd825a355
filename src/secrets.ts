import * as core from '@actions/core'

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

/** Every secret this process knows (the token, an OIDC token...), for `redact`. */
const known: string[] = []

/** Registers a secret and its derived forms with the runner's log masker, before anything prints. */
export function maskSecret(secret: string): void {
  if (!secret || known.includes(secret)) return
  known.push(secret)
  for (const form of secretForms(secret)) core.setSecret(form)
}

/** The shortest piece of a secret `redact` removes wherever it stands. */
const FRAGMENT = 8

/**
 * Text from a registry, a proxy or npm, made safe to print or quote: every secret and its forms
 * removed, a secret split by whitespace or line breaks too (the runner masks line by line), and any
 * run of 8+ characters of a secret (a fragment left by cutting a message short). Cut after this.
 */
export function redact(text: string, secrets: readonly string[] = known): string {
  let out = text
  for (const secret of secrets) {
    for (const form of secretForms(secret)) out = out.split(form).join('***')
    if (secret.length >= 4 && secret.length <= 4096) {
      const spread = [...secret].map(escapeRegExp).join('\\s*')
      out = out.replace(new RegExp(spread, 'g'), '***')
    }
    out = removeFragments(out, secret)
  }
  return out
}

function removeFragments(text: string, secret: string): string {
  const min = Math.min(FRAGMENT, secret.length)
  if (min === 0 || text.length < min) return text
  const pieces = new Set<string>()
  for (let i = 0; i + min <= secret.length; i++) pieces.add(secret.slice(i, i + min))
  let out = ''
  for (let i = 0; i < text.length;) {
    if (!pieces.has(text.slice(i, i + min))) {
      out += text[i++]
      continue
    }
    let end = i + min
    while (end < text.length && secret.includes(text.slice(i, end + 1))) end++
    out += '***'
    i = end
  }
  return out
}

function escapeRegExp(char: string): string {
  return char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
}

/** `redact`, then cut to `max` characters on one line (for quoting in a message). */
export function quote(text: string, max = 200): string {
  const clean = redact(text).replace(/\s+/g, ' ').trim()
  if (clean.length <= max) return clean
  // Never end on the first half of a surrogate pair (an emoji cut in two).
  const end = /[\uD800-\uDBFF]/.test(clean[max - 2]) ? max - 2 : max - 1
  return `${clean.slice(0, end)}…`
}
