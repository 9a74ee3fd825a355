import * as core from '@actions/core'
import { asSentence, type PublishError } from './errors.js'
import type { PackageOutcome, PackageStatus, RunOutcome, Stage } from './outcome.js'
import { redact } from './secrets.js'
import type { Check, CheckStatus } from './token-check.js'

/**
 * The job summary, as HTML (GitHub renders a summary as GFM; raw HTML blocks pass through its
 * sanitizer and no markdown applies inside them, so nothing quoted from a registry or npm can
 * become a heading, a link or an autolinked e-mail address: it is all escaped text here). Kept
 * under the runner's size limit.
 */
export const SUMMARY_MAX_BYTES = 100 * 1024

type SummaryTableRow = Parameters<typeof core.summary.addTable>[0][number]

/** Appends the summary through `core.summary` (the file was checked to be a regular file first). */
export async function writeSummary(run: RunOutcome): Promise<void> {
  build(run)
  await core.summary.write()
}

export function summaryHtml(run: RunOutcome): string {
  return build(run).stringify()
}

/** The summary in core.summary's buffer, shrunk (shorter quotes, then fewer rows) until it fits. */
function build(run: RunOutcome): typeof core.summary {
  for (const limit of [2000, 300, 80]) {
    if (fits(render(run, limit, Infinity))) return core.summary
  }
  for (let rows = 200; rows >= 0; rows = rows > 10 ? Math.floor(rows / 2) : rows - 1) {
    if (fits(render(run, 80, rows))) return core.summary
  }
  return core.summary.emptyBuffer().addHeading(escape(heading(run)), 2)
}

function fits(summary: typeof core.summary): boolean {
  return Buffer.byteLength(summary.stringify()) <= SUMMARY_MAX_BYTES
}

function render(run: RunOutcome, textLimit: number, maxRows: number): typeof core.summary {
  const text = texter(run)
  const summary = core.summary.emptyBuffer().addHeading(headingHtml(run), 2)
  const single = run.workspace ? undefined : run.packages[0]
  if (run.workspace && run.packages.length) summary.addRaw(`<p>${counts(run)}</p>`, true)
  if (run.error) {
    // The heading names the code; a workspace's failures are each in their row's notes.
    const perPackage = run.workspace && run.packages.some((p) => p.error)
    if (!perPackage) summary.addRaw(messageHtml(run.error.message, text, textLimit), true)
    summary.addRaw(`<p>${text(run.error.hint, textLimit)}</p>`, true)
  } else if (single?.reason) {
    summary.addRaw(`<p>${text(single.reason, textLimit)}</p>`, true)
  }
  if (run.packages.length) summary.addTable(packageRows(run, text, textLimit, maxRows))
  const items = facts(run, text)
  if (items.length) summary.addList(items)
  if (run.checks.length)
    summary.addHeading('Token checks', 3).addTable(checkRows(run.checks, text, textLimit))
  return summary
}

const STATUS: Record<PackageStatus, string> = {
  pending: '➖ not reached',
  published: '✅ published',
  staged: '🕓 staged',
  unchanged: '⏭️ already published',
  'tag-moved': '🏷️ tag moved',
  skipped: '⏭️ skipped',
  'dry-run': '🧪 dry run',
  validated: '🩺 checked',
  failed: '❌ failed',
  'held-back': '⏸️ held back'
}

type Text = (value: string, limit: number) => string

/** A message; several problems found together (errors.ts `combine`) as a list. */
function messageHtml(message: string, text: Text, textLimit: number): string {
  const problems = splitProblems(message)
  if (!problems) return `<p>${text(asSentence(message), textLimit)}</p>`
  const items = problems.map((problem) => `<li>${text(problem, textLimit)}</li>`).join('')
  return `<p>${problems.length} problems:</p><ul>${items}</ul>`
}

/** `N problems: (1) … (2) …` → the N texts; undefined for any other message. */
function splitProblems(message: string): string[] | undefined {
  const count = /^(\d+) problems: \(1\) /.exec(message)
  if (!count) return undefined
  const n = Number(count[1])
  const starts: number[] = []
  let from = 0
  for (let i = 1; i <= n; i++) {
    const at = message.indexOf(`(${i}) `, from)
    if (at < 0) return undefined
    starts.push(at)
    from = at + `(${i}) `.length
  }
  return starts.map((start, i) =>
    message.slice(start + `(${i + 1}) `.length, starts[i + 1] ?? message.length).trim()
  )
}

/** Statuses after which this version is on the registry. */
const ON_REGISTRY = new Set<PackageStatus>(['published', 'unchanged', 'tag-moved'])
/** Statuses whose integrity is that of what is, or would be, on the registry. */
const HAS_CONTENT = new Set<PackageStatus>([...ON_REGISTRY, 'staged', 'dry-run'])

function packageRows(
  run: RunOutcome,
  text: Text,
  textLimit: number,
  maxRows: number
): SummaryTableRow[] {
  const notes = Boolean(run.workspace)
  // A single package's integrity is listed below the table: a sha512 is wider than the page.
  const header = ['Package', 'Version', 'Tag', 'Result', ...(notes ? ['Integrity', 'Notes'] : [])]
  const rows: SummaryTableRow[] = [header.map((data) => ({ data, header: true }))]
  for (const p of run.packages.slice(0, maxRows)) {
    // A link only to a version the registry holds (npmjs's page of an unpublished version is a 404).
    const link = ON_REGISTRY.has(p.status) ? packageLink(run.registry, p) : ''
    const name = `<code>${escape(p.name)}</code>`
    const cells = [
      link ? `<a href="${escape(link)}">${name}</a>` : name,
      versionCell(p),
      tagCell(p),
      `${STATUS[p.status]}${p.error ? ` (<code>${escape(p.error.code)}</code>)` : ''}`
    ]
    if (notes) {
      // Its start, as npmjs shows it; the whole value is in the `packages` output.
      const short = p.integrity.length > 20 ? `${p.integrity.slice(0, 19)}…` : p.integrity
      cells.push(
        short ? `<code>${escape(short)}</code>` : '',
        text(p.error?.message ?? p.reason, textLimit)
      )
    }
    rows.push(cells.map(filled))
  }
  const more = run.packages.length - Math.min(run.packages.length, maxRows)
  if (more > 0) {
    rows.push([
      {
        data: `…and ${more} more (see the <code>packages</code> output)`,
        colspan: String(header.length)
      }
    ])
  }
  return rows
}

/** core.summary writes an empty cell as an unclosed `<td>`: a dash stands for "none". */
function filled(cell: string): string {
  return cell || '–'
}

/**
 * The version, and the kind of release it is next to the tag's version (minor, major...), only
 * when the plan decided that (never on a failure before the plan, never "same").
 */
function versionCell(p: PackageOutcome): string {
  const version = `<code>${escape(p.version)}</code>`
  if (!p.type || p.type === 'same' || p.type === 'initial' || !p.oldVersion) return version
  return `${version} (${escape(p.type)})`
}

/** The dist-tag, and what it pointed at before this run (or that it is new), from the plan. */
function tagCell(p: PackageOutcome): string {
  if (!p.tag) return ''
  const tag = `<code>${escape(p.tag)}</code>`
  if (p.oldVersion && p.oldVersion !== p.version)
    return `${tag} (was <code>${escape(redact(p.oldVersion))}</code>)`
  if (!p.oldVersion && p.type && p.type !== 'same') return `${tag} (new)`
  return tag
}

/** How many packages ended how, in a workspace: "2 published, 1 failed, 1 held back." */
const COUNTED: [PackageStatus, string][] = [
  ['published', 'published'],
  ['staged', 'staged'],
  ['tag-moved', 'tag moved'],
  ['unchanged', 'already published'],
  ['dry-run', 'dry run'],
  ['validated', 'checked'],
  ['skipped', 'skipped'],
  ['failed', 'failed'],
  ['held-back', 'held back'],
  ['pending', 'not reached']
]

function counts(run: RunOutcome): string {
  const parts = COUNTED.map(([status, words]) => {
    const n = run.packages.filter((p) => p.status === status).length
    return n ? `${n} ${words}` : ''
  }).filter(Boolean)
  return parts.length ? `${parts.join(', ')}.` : ''
}

function facts(run: RunOutcome, text: Text): string[] {
  const items: string[] = []
  const single = run.workspace ? undefined : run.packages[0]
  // What was (or would be) uploaded; a failed package's packed content is in its message, if anywhere.
  if (single?.integrity && HAS_CONTENT.has(single.status))
    items.push(`Integrity: <code>${escape(single.integrity)}</code>`)
  if (run.registry) {
    items.push(
      `Registry: <code>${escape(run.registry)}</code>${run.registrySource ? ` (${text(run.registrySource, 300)})` : ''}`
    )
  }
  if (run.workspace)
    items.push(
      `Workspace: <code>${escape(run.workspace.root)}</code> (${escape(run.workspace.tool)})`
    )
  if (single?.access) items.push(`Access: <code>${escape(single.access)}</code>`)
  if (single?.stageId) items.push(`Stage: <code>${escape(single.stageId)}</code>`)
  if (run.authPath) items.push(`Auth: ${escape(run.authPath)} (${text(run.authReason, 300)})`)
  if (run.tokenCheck) {
    items.push(
      `Token check: ${escape(run.tokenCheck)}${run.tokenUser ? ` (logged in as <code>${escape(run.tokenUser)}</code>)` : ''}`
    )
  }
  if (run.dryRun) items.push('Dry run: nothing was uploaded.')
  if (run.validateOnly)
    items.push(
      'Validate-only: the token and the registry were checked; nothing was packed or uploaded.'
    )
  return items
}

const CHECK: Record<CheckStatus, string> = {
  fail: '❌ failed',
  warn: '⚠️ warning',
  pass: '✅ passed',
  skip: '➖ not checked'
}

/** Failures first, then warnings, passes, and what was not checked (each kept in its order). */
const CHECK_ORDER: CheckStatus[] = ['fail', 'warn', 'pass', 'skip']

function checkRows(checks: Check[], text: Text, textLimit: number): SummaryTableRow[] {
  const sorted = [...checks].sort(
    (a, b) => CHECK_ORDER.indexOf(a.status) - CHECK_ORDER.indexOf(b.status)
  )
  return [
    ['Check', 'Result', 'Finding'].map((data) => ({ data, header: true })),
    ...sorted.map((c) =>
      [
        escape(c.title),
        `${CHECK[c.status]}${c.code && (c.status === 'fail' || c.status === 'warn') ? ` (<code>${escape(c.code)}</code>)` : ''}`,
        text(c.detail, textLimit)
      ].map(filled)
    )
  ]
}

/** The heading as plain text: what happened, or what failed. */
export function heading(run: RunOutcome): string {
  return headingHtml(run)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

const FAILED_AT: Record<Stage, string> = {
  inputs: 'Inputs rejected',
  runner: 'Runner not usable',
  package: 'Package refused',
  token: 'Token check failed',
  registry: 'Registry unreachable',
  plan: 'Not published',
  scripts: 'Lifecycle script failed',
  publish: 'npm publish failed',
  cancelled: 'Cancelled'
}

const NOT_PUBLISHED: string[] = ['VERSION_CONFLICT', 'TAG_REQUIRED']

/**
 * What failed, in words: the stage, and in the publish stage the step that failed — npm publish is
 * named only when it ran (a conflict is found by comparing, a tag is moved by the action itself).
 */
function failedAt(run: RunOutcome, error: PublishError): string {
  const stage = run.stage ?? 'publish'
  if (run.validateOnly && (stage === 'plan' || stage === 'publish')) return 'Health check failed'
  // The action's own dist-tag request (publish-one.ts words it), whichever stage it is put under.
  if (
    (stage === 'plan' || stage === 'publish') &&
    /^The registry refused to move /.test(error.message)
  )
    return 'Tag move refused'
  if (stage !== 'publish') return FAILED_AT[stage]
  // A version the registry already holds (other content) or a tag npm would refuse: npm
  // publish never ran, whichever step found it.
  if (NOT_PUBLISHED.includes(error.code)) return FAILED_AT.plan
  if (error.code === 'REGISTRY_UNREACHABLE') return FAILED_AT.registry
  // npm pack's failures (npm.ts, publish.ts word them).
  if (/^npm pack/.test(error.message)) return 'npm pack failed'
  if (/^Unexpected error/.test(error.message)) return 'Publish failed'
  return run.authPath === 'stage' ? 'npm stage publish failed' : FAILED_AT.publish
}

function headingHtml(run: RunOutcome): string {
  const id = (p: PackageOutcome): string => `<code>${escape(`${p.name}@${p.version}`)}</code>`
  if (run.error) {
    if (run.stage === 'cancelled') return `⛔ Cancelled: ${escape(run.error.code)}`
    const failed = run.packages.filter((p) => p.error)
    if (run.workspace && failed.length && run.stage !== 'token' && run.stage !== 'registry') {
      return `❌ ${failed.length} of ${run.packages.length} packages failed: ${escape(failed[0].error?.code ?? run.error.code)}`
    }
    return `❌ ${failedAt(run, run.error)}: ${escape(run.error.code)}`
  }
  if (run.workspace) {
    const count = (status: PackageStatus): number =>
      run.packages.filter((p) => p.status === status).length
    const uploaded = count('published')
    if (run.validateOnly) return `🩺 Health check passed: ${run.packages.length} packages`
    if (run.dryRun) return `🧪 Dry run of ${run.packages.length} packages`
    if (uploaded) return `✅ Published ${uploaded} of ${run.packages.length} packages`
    if (count('tag-moved')) return `🏷️ Moved tags of ${count('tag-moved')} packages`
    return `⏭️ Nothing new to publish (${run.packages.length} packages)`
  }
  const p = run.packages[0]
  if (!p) return run.validateOnly ? '🩺 Health check passed' : '⏭️ Nothing published'
  switch (p.status) {
    case 'published':
      return `✅ Published ${id(p)}`
    case 'staged':
      return `🕓 Staged ${id(p)} for approval`
    case 'tag-moved':
      return `🏷️ Moved <code>${escape(p.tag)}</code> to ${id(p)}`
    case 'unchanged':
      return `⏭️ ${id(p)} is already published`
    case 'dry-run':
      return `🧪 Dry run of ${id(p)}`
    case 'validated':
      return `🩺 Health check passed for ${id(p)}`
    default:
      return `⏭️ Nothing published for ${id(p)}`
  }
}

/** Link to the package's page where the registry has one people know. */
export function packageLink(registry: string, p: Pick<PackageOutcome, 'name' | 'version'>): string {
  if (!registry) return ''
  const host = new URL(registry).host
  if (host === 'registry.npmjs.org') return `https://www.npmjs.com/package/${p.name}/v/${p.version}`
  if (host === 'npm.pkg.github.com' && process.env['GITHUB_REPOSITORY']) {
    return `https://github.com/${process.env['GITHUB_REPOSITORY']}/packages`
  }
  return new URL(p.name.replace('/', '%2f'), registry).href
}

/**
 * Text made safe for an HTML block: secrets removed, markup escaped, on one line, cut at `limit`;
 * `backticked` words and the run's `name@version`s become code (markdown does not apply inside
 * HTML, and outside it GitHub would autolink `name@1.0.0` as an e-mail address).
 */
function texter(run: RunOutcome): Text {
  const ids = new Set(run.packages.map((p) => escape(`${p.name}@${p.version}`)))
  return (value, limit) => {
    const clean = redact(value).replace(/\s+/g, ' ').trim()
    const cut = clean.length > limit ? `${clean.slice(0, limit - 1)}…` : clean
    const html = escape(cut).replace(/`([^`]+)`/g, '<code>$1</code>')
    // Outside the <code> spans already there.
    return html
      .split(/(<code>.*?<\/code>)/)
      .map((part, i) =>
        i % 2 ? part : part.replace(ID, (id: string) => (ids.has(id) ? `<code>${id}</code>` : id))
      )
      .join('')
  }
}

/** `name@version` as it appears in a sentence (a trailing full stop is not part of it). */
const ID =
  /(?<![\w@/.-])(?:@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]*[0-9A-Za-z])?(?:\+[0-9A-Za-z.-]*[0-9A-Za-z])?/g

export function escape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\s*\n\s*/g, ' ')
}
