import { describe, expect, it } from '@jest/globals'
import crypto from 'node:crypto'
import { secretForms } from '../src/secrets.js'

const tokens = [
  'npm_abcdefghijklmnopqrstuvwxyz0123456789',
  'ZTNlZGZkYjQ1Yz+/k=MWI5Mw==',
  crypto.randomBytes(30).toString('base64')
]

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
})
