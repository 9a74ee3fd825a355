import { describe, expect, it } from '@jest/globals'
import {
  ERROR_CODES,
  PublishError,
  asSentence,
  combine,
  errorMessage,
  isPublishError
} from '../src/errors.js'

describe('PublishError', () => {
  it("carries its code and the code's default hint unless given one", () => {
    const error = new PublishError('TAG_REQUIRED', 'No tag')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('PublishError')
    expect(error.code).toBe('TAG_REQUIRED')
    expect(error.hint).toBe(ERROR_CODES.TAG_REQUIRED)
    expect(new PublishError('TAG_REQUIRED', 'No tag', 'Set it.').hint).toBe('Set it.')
  })

  it('reads as one sentence and the fix (the annotation text), and as a [CODE] line', () => {
    const error = new PublishError(
      'TOKEN_READONLY',
      '  The token is read-only ',
      'Use a write token.'
    )
    expect(error.sentence).toBe('The token is read-only. Use a write token.')
    expect(error.report).toBe('[TOKEN_READONLY] The token is read-only. Use a write token.')
  })

  it('keeps the punctuation a message already ends with', () => {
    expect(new PublishError('INPUT_INVALID', 'Bad input.').sentence).toBe(
      `Bad input. ${ERROR_CODES.INPUT_INVALID}`
    )
    expect(asSentence('Really?')).toBe('Really?')
    expect(asSentence('Stop!')).toBe('Stop!')
    expect(asSentence('no full stop ')).toBe('no full stop.')
  })

  it('has a remedy for every code, each a sentence', () => {
    for (const [code, hint] of Object.entries(ERROR_CODES)) {
      expect([code, asSentence(hint)]).toEqual([code, hint])
    }
    expect(Object.keys(ERROR_CODES)).toEqual(
      expect.arrayContaining(['RUNNER_INVALID', 'TOKEN_EXPIRING', 'CANCELLED'])
    )
  })

  it('is recognised by name and code, and other errors by their message', () => {
    expect(isPublishError(new PublishError('CANCELLED', 'x'))).toBe(true)
    expect(isPublishError(new Error('x'))).toBe(false)
    expect(isPublishError({ name: 'PublishError', code: 'X' })).toBe(false)
    expect(errorMessage(new TypeError('boom'))).toBe('boom')
    expect(errorMessage('text')).toBe('text')
    expect(errorMessage(42)).toBe('42')
  })
})

describe('combine', () => {
  it('returns a single error as it is', () => {
    const only = new PublishError('INPUT_INVALID', '`tag` is bad', 'Fix the tag.')
    expect(combine([only])).toBe(only)
    expect(combine([only]).message).not.toMatch(/problems/)
  })

  it('joins three errors under the first code, numbered, with each hint once', () => {
    const combined = combine([
      new PublishError('TOKEN_MALFORMED', 'The token holds whitespace'),
      new PublishError('INPUT_INVALID', '`strategy` must be one of all, upgrade.'),
      new PublishError('INPUT_INVALID', '`dry-run` must be one of true, false')
    ])
    expect(combined).toBeInstanceOf(PublishError)
    expect(combined.code).toBe('TOKEN_MALFORMED')
    expect(combined.message).toBe(
      '3 problems: (1) The token holds whitespace. (2) `strategy` must be one of all, upgrade. (3) `dry-run` must be one of true, false.'
    )
    expect(combined.hint).toBe(`${ERROR_CODES.TOKEN_MALFORMED} ${ERROR_CODES.INPUT_INVALID}`)
    expect(combined.sentence).toBe(`${combined.message} ${combined.hint}`)
    expect(combined.report).toBe(`[TOKEN_MALFORMED] ${combined.message} ${combined.hint}`)
  })

  it('keeps distinct hints of the same code', () => {
    const combined = combine([
      new PublishError('PACKAGE_INVALID', 'a', 'Do A.'),
      new PublishError('PACKAGE_INVALID', 'b', 'Do B.'),
      new PublishError('PACKAGE_INVALID', 'c', 'Do A.')
    ])
    expect(combined.hint).toBe('Do A. Do B.')
    expect(combined.message).toBe('3 problems: (1) a. (2) b. (3) c.')
  })
})
