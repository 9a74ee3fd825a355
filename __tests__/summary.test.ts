/**
 * The job summary: what its heading says per stage, what it leaves out when a stage did not run,
 * how it quotes hostile registry text (GitHub renders the summary as GFM: raw HTML blocks pass,
 * markdown applies outside them), and that it stays under the runner's size limit.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { PublishError, type ErrorCode } from '../src/errors.js'
import {
  emptyRun,
  newPackage,
  type PackageOutcome,
  type RunOutcome,
  type Stage
} from '../src/outcome.js'
import { maskSecret } from '../src/secrets.js'
import { SUMMARY_MAX_BYTES, heading, summaryHtml } from '../src/summary.js'
import type { Check } from '../src/token-check.js'
import { captureStdout } from './helpers/stdout.js'

afterEach(() => {
  jest.restoreAllMocks()
})

const INTEGRITY = `sha512-${'A'.repeat(86)}==`

const CHECKS: Check[] = [
  { id: 'alive', title: 'Login', status: 'pass', detail: 'the registry knows the token' },
  { id: 'expiry', title: 'Expiry', status: 'skip', detail: 'not checked' },
  {
    id: 'cidr',
    title: 'IP ranges',
    status: 'warn',
    detail: 'limited to 10.0.0.0/8',
    code: 'TOKEN_CIDR'
  },
  {
    id: 'write',
    title: 'Write access',
    status: 'fail',
    detail: 'read-only',
    code: 'TOKEN_READONLY'
  }
]

function single(overrides: Partial<PackageOutcome> = {}, run: Partial<RunOutcome> = {}) {
  return {
    ...emptyRun(),
    registry: 'https://registry.npmjs.org/',
    registrySource: "npm's default",
    authPath: 'token' as const,
    authReason: 'the token input',
    packages: [{ ...newPackage('@acme/tool', '1.0.0', '.'), ...overrides }],
    ...run
  }
}

function failedAt(stage: Stage, code: ErrorCode, run: RunOutcome = single()): RunOutcome {
  return { ...run, error: new PublishError(code, `it failed (${code})`), stage }
}

function workspace(count: number, make: (i: number) => Partial<PackageOutcome>): RunOutcome {
  return {
    ...emptyRun(),
    registry: 'https://registry.npmjs.org/',
    workspace: { root: '.', tool: 'npm' },
    packages: Array.from({ length: count }, (_, i) => ({
      ...newPackage(`@acme/pkg-${i}`, '1.0.0', `packages/pkg-${i}`),
      ...make(i)
    }))
  }
}

/** The `<table>` elements of the summary, each as its rows of cells. */
function tables(html: string): { header: boolean; text: string }[][][] {
  return [...html.matchAll(/<table>(.*?)<\/table>/g)].map(([, body]) =>
    [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) =>
      [...row.matchAll(/<(th|td)[^>]*>(.*?)<\/\1>/g)].map(([, tag, cell]) => ({
        header: tag === 'th',
        text: cell.replace(/<[^>]+>/g, '').trim()
      }))
    )
  )
}

describe('heading: what failed, per stage', () => {
  it.each([
    ['inputs', 'INPUT_INVALID', 'Inputs rejected: INPUT_INVALID'],
    ['runner', 'RUNNER_INVALID', 'Runner not usable: RUNNER_INVALID'],
    ['package', 'PACKAGE_INVALID', 'Package refused: PACKAGE_INVALID'],
    ['token', 'TOKEN_READONLY', 'Token check failed: TOKEN_READONLY'],
    ['registry', 'REGISTRY_UNREACHABLE', 'Registry unreachable: REGISTRY_UNREACHABLE'],
    ['plan', 'TAG_REQUIRED', 'Not published: TAG_REQUIRED'],
    // Found while settling an already published version: npm publish never ran.
    ['publish', 'VERSION_CONFLICT', 'Not published: VERSION_CONFLICT'],
    ['plan', 'VERSION_CONFLICT', 'Not published: VERSION_CONFLICT'],
    ['scripts', 'PUBLISH_FAILED', 'Lifecycle script failed: PUBLISH_FAILED'],
    ['publish', 'PUBLISH_FORBIDDEN', 'npm publish failed: PUBLISH_FORBIDDEN'],
    ['cancelled', 'CANCELLED', 'Cancelled: CANCELLED']
  ] as [Stage, ErrorCode, string][])('%s + %s → "%s"', (stage, code, expected) => {
    const run = failedAt(stage, code)
    expect(heading(run)).toContain(expected)
    // The summary's own <h2> says the same.
    const h2 = /<h2>(.*?)<\/h2>/.exec(summaryHtml(run))?.[1] ?? ''
    expect(h2.replace(/<[^>]+>/g, '')).toBe(heading(run))
  })

  it('in a workspace, counts the failed packages and names the first code', () => {
    const run = workspace(3, (i) =>
      i === 1
        ? { status: 'failed', error: new PublishError('PUBLISH_FORBIDDEN', 'no') }
        : { status: i === 0 ? 'published' : 'held-back' }
    )
    run.error = run.packages[1].error
    run.stage = 'publish'
    expect(heading(run)).toBe('❌ 1 of 3 packages failed: PUBLISH_FORBIDDEN')
  })

  it('names what happened on success, name@version in <code>', () => {
    const published = single({ status: 'published', tag: 'latest' })
    expect(heading(published)).toBe('✅ Published @acme/tool@1.0.0')
    expect(summaryHtml(published)).toContain('<h2>✅ Published <code>@acme/tool@1.0.0</code></h2>')
    expect(heading(single({ status: 'tag-moved', tag: 'next' }))).toBe(
      '🏷️ Moved next to @acme/tool@1.0.0'
    )
    expect(heading(single({ status: 'unchanged' }))).toBe(
      '⏭️ @acme/tool@1.0.0 is already published'
    )
    expect(heading(workspace(4, (i) => ({ status: i < 3 ? 'published' : 'skipped' })))).toBe(
      '✅ Published 3 of 4 packages'
    )
    expect(heading(workspace(2, () => ({ status: 'skipped' })))).toBe(
      '⏭️ Nothing new to publish (2 packages)'
    )
  })
})

describe('summaryHtml: only what the run established', () => {
  it('says nothing about the version’s relation to a tag when the plan did not run', () => {
    const run = {
      ...failedAt('token', 'TOKEN_READONLY'),
      checks: CHECKS,
      tokenCheck: 'failed' as const
    }
    const html = summaryHtml(run)
    expect(html).not.toContain('first under')
    expect(html).not.toMatch(/\((major|minor|patch|initial|same|lower)/)
    const [packages] = tables(html)
    expect(packages[1].map((c) => c.text)).toEqual(['@acme/tool', '1.0.0', '–', '➖ not reached'])
  })

  it('shows the relation once the plan decided it', () => {
    const html = summaryHtml(
      single({ status: 'published', tag: 'latest', oldVersion: '0.9.0', type: 'minor' })
    )
    expect(html).toContain('<td><code>1.0.0</code> (minor)</td>')
    expect(html).toContain('<td><code>latest</code> (was <code>0.9.0</code>)</td>')
    expect(summaryHtml(single({ status: 'published', tag: 'next', type: 'initial' }))).toContain(
      '<td><code>next</code> (new)</td>'
    )
  })

  it('shows no version change on a conflict (the version is already there)', () => {
    const error = new PublishError(
      'VERSION_CONFLICT',
      '@acme/tool@1.0.0 is already published with different content'
    )
    const run = single(
      {
        status: 'failed',
        tag: 'latest',
        oldVersion: '1.0.0',
        type: 'same',
        error,
        integrity: INTEGRITY
      },
      { error, stage: 'publish' }
    )
    const html = summaryHtml(run)
    expect(html).not.toContain('→')
    expect(html).not.toContain(' was ')
    expect(html).not.toContain('first under')
    expect(tables(html)[0][1][1].text).toBe('1.0.0')
    expect(tables(html)[0][1][3].text).toBe('❌ failed (VERSION_CONFLICT)')
  })

  it('invents no access level: shown only when one was passed', () => {
    expect(summaryHtml(single({ status: 'published' }))).not.toContain('Access')
    expect(summaryHtml(single({ status: 'published', access: 'public' }))).toContain(
      'Access: <code>public</code>'
    )
  })

  it('gives every table a header row with text', () => {
    for (const run of [
      single({ status: 'published', tag: 'latest' }, { checks: CHECKS }),
      workspace(3, () => ({ status: 'published' })),
      { ...workspace(600, () => ({ status: 'skipped', reason: 'x'.repeat(2000) })), checks: CHECKS }
    ]) {
      const found = tables(summaryHtml(run))
      expect(found.length).toBeGreaterThan(0)
      for (const table of found) {
        expect(table[0].length).toBeGreaterThan(0)
        for (const cell of table[0]) {
          expect(cell.header).toBe(true)
          expect(cell.text).not.toBe('')
        }
      }
    }
  })

  it('lists failing checks first, then warnings, passes, and what was not checked', () => {
    const html = summaryHtml({ ...failedAt('token', 'TOKEN_READONLY'), checks: CHECKS })
    const checks = tables(html)[1]
    expect(checks[0].map((c) => c.text)).toEqual(['Check', 'Result', 'Finding'])
    expect(checks.slice(1).map((row) => row[0].text)).toEqual([
      'Write access',
      'IP ranges',
      'Login',
      'Expiry'
    ])
    expect(checks[1][1].text).toBe('❌ failed (TOKEN_READONLY)')
  })
})

describe('summaryHtml: registry and npm text is quoted, never markup', () => {
  const HOSTILE = [
    '<h1>Owned</h1><script>alert(1)</script> see [x](http://evil) or mail a@b.com | col |',
    '`code` and a lone ` backtick',
    '',
    '',
    '# not a heading',
    '<img src=x onerror=alert(1)>'
  ].join('\n')

  function hostileRun(): RunOutcome {
    const run = workspace(2, (i) =>
      i === 0
        ? { status: 'failed', error: new PublishError('PUBLISH_FAILED', HOSTILE) }
        : { status: 'skipped', reason: HOSTILE }
    )
    return {
      ...run,
      registrySource: HOSTILE,
      authPath: 'token',
      authReason: HOSTILE,
      tokenUser: '<b>bob</b>',
      tokenCheck: 'failed',
      checks: [
        { id: 'alive', title: 'Login', status: 'fail', detail: HOSTILE, code: 'TOKEN_INVALID' }
      ],
      error: new PublishError('PUBLISH_FAILED', HOSTILE, HOSTILE),
      stage: 'publish'
    }
  }

  it('leaves no tag of it standing: every < of it escaped', () => {
    const html = summaryHtml(hostileRun())
    for (const tag of ['<h1', '</h1', '<script', '<img', '<b>', '<a href="http://evil'])
      expect(html).not.toContain(tag)
    expect(html).toContain('&lt;h1&gt;Owned&lt;/h1&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;b&gt;bob&lt;/b&gt;')
    // The only elements are the summary's own.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]))
    const own = ['a', 'code', 'h2', 'h3', 'li', 'p', 'strong', 'table', 'td', 'th', 'tr', 'ul']
    for (const element of tags) expect([element, own.includes(element)]).toEqual([element, true])
  })

  it('keeps it on one line inside an HTML block, so no markdown (link, heading, autolink) applies', () => {
    const html = summaryHtml(hostileRun())
    // No blank line ends the HTML block; every line opens with one of the summary's block tags.
    expect(html).not.toMatch(/\n\s*\n/)
    for (const line of html.split('\n').filter(Boolean))
      expect(line).toMatch(/^<(h2|h3|p|table|ul)>/)
    const lines = html.split('\n').filter((line) => line.includes('[x](http://evil)'))
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      // The text after the newlines and blank lines stayed with it.
      expect(line).toMatch(
        /\[x\]\(http:\/\/evil\) or mail a@b\.com \| col \| <code>code<\/code> and a lone ` backtick # not a heading &lt;img/
      )
    }
    expect(html).not.toContain('<code>a@b.com</code>')
  })

  it('removes a secret from what the registry says a tag pointed at', () => {
    captureStdout()
    const secret = 'Qw9ZkLmP4vRtYx2BnHs7JdFgCe5UaWo3'
    maskSecret(secret)
    const html = summaryHtml(
      single({ status: 'published', tag: 'latest', oldVersion: `1.0.0-${secret}`, type: 'minor' })
    )
    expect(html).not.toContain(secret.slice(0, 12))
    expect(html).toContain('(was <code>1.0.0-***</code>)')
  })

  it('removes a secret the run knows, also split over lines', () => {
    captureStdout()
    const secret = 'npm_S3cretTokenValue0123456789abcdefXYZ'
    maskSecret(secret)
    const run = failedAt('publish', 'PUBLISH_FAILED')
    run.error = new PublishError(
      'PUBLISH_FAILED',
      `npm said ${secret} and ${secret.slice(0, 20)}\n${secret.slice(20)}`
    )
    const html = summaryHtml(run)
    expect(html).not.toContain(secret.slice(0, 12))
    expect(html).not.toContain(secret.slice(-12))
    expect(html).toContain('npm said ***')
  })
})

describe('summaryHtml: name@version in <code>', () => {
  it('marks the run’s own packages in the sentences, and nothing else that looks like one', () => {
    const run = workspace(2, (i) => ({
      status: 'skipped',
      reason:
        i === 0
          ? '@acme/pkg-0@1.0.0 is already published; @acme/pkg-1@1.0.0 too. Mail ops@acme.com, not other@2.0.0.'
          : 'see `@acme/pkg-1@1.0.0`'
    }))
    const html = summaryHtml(run)
    expect(html).toContain(
      '<code>@acme/pkg-0@1.0.0</code> is already published; <code>@acme/pkg-1@1.0.0</code> too. Mail ops@acme.com, not other@2.0.0.'
    )
    expect(html).toContain('see <code>@acme/pkg-1@1.0.0</code>')
    expect(html).not.toContain('<code><code>')
  })
})

describe('summaryHtml: size', () => {
  it('keeps a 300 KB npm error message under SUMMARY_MAX_BYTES, cut with an ellipsis', () => {
    const huge = `npm error ${'E'.repeat(300 * 1024)}`
    const run = { ...failedAt('publish', 'PUBLISH_FAILED'), checks: CHECKS }
    run.error = new PublishError('PUBLISH_FAILED', huge, huge)
    run.packages[0] = { ...run.packages[0], status: 'failed', error: run.error, reason: huge }
    const html = summaryHtml(run)
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(html).toContain('<h2>❌ npm publish failed: PUBLISH_FAILED</h2>')
    expect(html).toMatch(/<p>npm error E+…<\/p>/)
    expect(tables(html)[1].length).toBe(CHECKS.length + 1)
  })

  it('fits a 500-package workspace with long notes, saying how many rows it left out', () => {
    const run = workspace(500, (i) => ({
      status: i % 2 ? 'published' : 'failed',
      tag: 'latest',
      integrity: INTEGRITY,
      error:
        i % 2 ? undefined : new PublishError('PUBLISH_FAILED', `npm error ${'x'.repeat(5000)}`),
      reason: `Published @acme/pkg-${i}@1.0.0 under "latest". ${'y'.repeat(5000)}`
    }))
    run.error = new PublishError('PUBLISH_FAILED', '250 problems')
    run.stage = 'publish'
    const html = summaryHtml(run)
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(html).toContain('<h2>❌ 250 of 500 packages failed: PUBLISH_FAILED</h2>')
    const [packages] = tables(html)
    const shown = packages.length - 1 - (packages.at(-1)?.length === 1 ? 1 : 0)
    const more = Number(/…and (\d+) more/.exec(html)?.[1] ?? 0)
    expect(shown + more).toBe(500)
    // In publish order, from the first.
    expect(packages[1][0].text).toBe('@acme/pkg-0')
    expect(packages[2][0].text).toBe('@acme/pkg-1')
  })
})
