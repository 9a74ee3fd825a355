import { beforeAll, describe, expect, it, jest } from '@jest/globals'
import crypto from 'node:crypto'
import { maskSecret, quote, redact, secretForms } from '../src/secrets.js'
import { captureStdout } from './helpers/stdout.js'

const tokens = [
  'npm_abcdefghijklmnopqrstuvwxyz0123456789',
  'ZTNlZGZkYjQ1Yz+/k=MWI5Mw==',
  crypto.randomBytes(30).toString('base64')
]

/** Every run of `size` characters of `secret` found in `text`. */
function fragmentsIn(text: string, secret: string, size = 8): string[] {
  const found: string[] = []
  for (let i = 0; i + size <= secret.length; i++) {
    const piece = secret.slice(i, i + size)
    if (text.includes(piece)) found.push(piece)
  }
  return found
}

describe('secretForms', () => {
  it.each(tokens)('covers %s plain and URL-encoded', (token) => {
    const forms = secretForms(token)
    expect(forms).toContain(token)
    expect(forms).toContain(encodeURIComponent(token))
  })

  it.each(tokens)('finds %s inside base64 of any surrounding text', (token) => {
    const forms = secretForms(token)
    const prefixes = ['', ':', 'u:', '//registry.npmjs.org/:_authToken=', 'ci-user:']
    const suffixes = ['', '\n', 'x', 'yz\n']
    for (const prefix of prefixes) {
      for (const suffix of suffixes) {
        const encoded = Buffer.from(prefix + token + suffix).toString('base64')
        expect(forms.some((form) => form !== token && encoded.includes(form))).toBe(true)
      }
    }
  })

  it('never yields an empty form, and no short base64 piece of a short secret', () => {
    for (const secret of ['a', 'abc', 'abcdef']) {
      const forms = secretForms(secret)
      expect(forms).not.toContain('')
      expect(forms).toContain(secret)
    }
  })
})

describe('redact', () => {
  const token = 'npm_Secr3t/Tok+en=ABCDEFGHIJKLmnopqrstu'

  it('removes the token and every form of it', () => {
    const text = [
      `plain ${token}`,
      `url ${encodeURIComponent(token)}`,
      `basic ${Buffer.from(`ci:${token}`).toString('base64')}`,
      `npmrc ${Buffer.from(`//r.example/:_authToken=${token}\n`).toString('base64')}`,
      `bare ${Buffer.from(token).toString('base64')}`
    ].join('\n')
    const out = redact(text, [token])
    for (const form of secretForms(token)) expect(out).not.toContain(form)
    expect(fragmentsIn(out, token)).toEqual([])
    expect(out).toContain('plain ***')
    expect(out.split('\n')).toHaveLength(5)
  })

  it.each([
    ['a line feed', '\n'],
    ['a CRLF', '\r\n'],
    ['spaces', '   '],
    ['a tab and a line feed', '\t\n']
  ])('removes a token split by %s (the runner masks line by line)', (_what, gap) => {
    for (const cut of [3, 7, 20, token.length - 3]) {
      const text = `before ${token.slice(0, cut)}${gap}${token.slice(cut)} after`
      const out = redact(text, [token])
      expect(out).toBe('before *** after')
    }
    const spread = [...token].join(' ')
    expect(redact(`x ${spread} y`, [token])).toBe('x *** y')
  })

  it('removes any run of 8 or more characters of the token, and keeps shorter ones', () => {
    expect(redact(`id=${token.slice(10, 18)};`, [token])).toBe('id=***;')
    expect(redact(`id=${token.slice(4, 30)}!`, [token])).toBe('id=***!')
    expect(redact(`id=${token.slice(0, 7)}!`, [token])).toBe(`id=${token.slice(0, 7)}!`)
    const two = `a ${token.slice(0, 9)} b ${token.slice(-12)} c`
    expect(redact(two, [token])).toBe('a *** b *** c')
  })

  it('leaves text without the token alone', () => {
    const text = 'npm error code E403\nnpm error 403 Forbidden - PUT https://r.example/pkg'
    expect(redact(text, [token])).toBe(text)
  })

  it('redacts every secret it is given', () => {
    const other = crypto.randomBytes(24).toString('hex')
    expect(redact(`${token} and ${other}`, [token, other])).toBe('*** and ***')
  })
})

describe('quote', () => {
  const token = `npm_${crypto.randomBytes(27).toString('base64url')}`
  let masked = ''

  beforeAll(() => {
    // quote redacts what the masker knows: register the token as the action does.
    const stdout = captureStdout()
    maskSecret(token)
    jest.restoreAllMocks()
    masked = stdout.join('')
  })

  it('redacts what maskSecret registered (and the runner was told to mask)', () => {
    expect(masked).toContain(`::add-mask::${token}`)
    expect(quote(`a ${token} b`)).toBe('a *** b')
  })

  it('collapses to one line and cuts at max characters', () => {
    expect(quote('  a\n\nb\r\n\tc  ')).toBe('a b c')
    const long = quote('x'.repeat(500))
    expect(long).toHaveLength(200)
    expect(long.endsWith('…')).toBe(true)
    expect(quote('y'.repeat(200))).toBe('y'.repeat(200))
    expect(quote('z'.repeat(300), 120)).toHaveLength(120)
  })

  it('never cuts a character in half (no lone surrogate before the ellipsis)', () => {
    const cut = quote(`${'a'.repeat(198)}😀${'b'.repeat(10)}`)
    expect(cut.length).toBeLessThanOrEqual(200)
    expect(cut).toBe(`${'a'.repeat(198)}…`)
    expect(() => encodeURIComponent(cut)).not.toThrow()
  })

  it('removes the token before cutting, so the cut leaves no fragment', () => {
    for (let offset = 150; offset <= 215; offset++) {
      const body = `{"error":"bad token ${'x'.repeat(offset)}${token}"}`
      const out = quote(body)
      expect(out.length).toBeLessThanOrEqual(200)
      expect(fragmentsIn(out, token)).toEqual([])
    }
  })

  it('leaves no 8-character fragment of a body that echoes the first 20 characters, cut at 200', () => {
    const echo = token.slice(0, 20)
    for (let offset = 0; offset <= 200; offset++) {
      const body = `{"error":"unknown token ${'x'.repeat(offset)}${echo}", "more": "${'y'.repeat(50)}"}`
      // Cut by quote, and cut before quote (a capped body), across every alignment.
      for (const out of [quote(body), quote(body.slice(0, 200))]) {
        expect(out.length).toBeLessThanOrEqual(200)
        expect(fragmentsIn(out, token)).toEqual([])
      }
    }
  })

  it('leaves no fragment of a token split across lines of a quoted body', () => {
    const body = `line one ${token.slice(0, 25)}\n${token.slice(25)} line two`
    const out = quote(body)
    expect(out).toBe('line one *** line two')
  })
})
