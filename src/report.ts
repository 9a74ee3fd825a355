import * as workflow from './workflow.js'
import type { Outcome } from './publish.js'
import type { CheckStatus } from './token-check.js'

/** Every output, on every path; empty where not known. Names match action.yml. */
export function outputsOf(outcome: Outcome): Record<string, string> {
  return {
    published: String(outcome.published),
    id: outcome.id,
    name: outcome.name,
    version: outcome.version,
    tag: outcome.tag,
    access: outcome.access,
    registry: outcome.registry,
    'dry-run': String(outcome.dryRun),
    integrity: outcome.integrity,
    shasum: outcome.shasum,
    'old-version': outcome.oldVersion,
    type: outcome.type,
    'token-user': outcome.tokenUser,
    'token-check': outcome.tokenCheck,
    'error-code': outcome.error?.code ?? '',
    'auth-path': outcome.authPath,
    'stage-id': outcome.stageId
  }
}

export function setOutputs(outcome: Outcome): void {
  workflow.setOutputs(outputsOf(outcome))
}

const STATUS_ICON: Record<CheckStatus, string> = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
  skip: '➖ skip'
}

/** Link to the package's page where the registry has one people know. */
export function packageLink(registry: string, name: string, version: string): string {
  if (!name) return registry
  const host = new URL(registry).host
  if (host === 'registry.npmjs.org') return `https://www.npmjs.com/package/${name}/v/${version}`
  if (host === 'npm.pkg.github.com' && process.env['GITHUB_REPOSITORY']) {
    return `https://github.com/${process.env['GITHUB_REPOSITORY']}/packages`
  }
  return new URL(name.replace('/', '%2f'), registry).href
}

/** The markdown job summary: what happened, the package's facts, and the token checks. */
export function summaryMarkdown(outcome: Outcome): string {
  const subject = outcome.name ? `\`${outcome.name}@${outcome.version}\`` : 'the package'
  const heading = outcome.error
    ? `❌ npm publish failed: ${outcome.error.code}`
    : outcome.published
      ? `✅ Published ${subject}`
      : outcome.stageId
        ? `🕓 Staged ${subject} for approval`
        : outcome.dryRun
          ? `🧪 Dry run of ${subject}`
          : `⏭️ Nothing published for ${subject}`
  const lines = [`## ${heading}`, '']
  if (outcome.error) lines.push(`> ${escapeCell(outcome.error.report)}`, '')
  else if (outcome.result) lines.push(outcome.result, '')
  const rows: [string, string][] = [
    [
      'Package',
      outcome.name
        ? `[${outcome.name}](${packageLink(outcome.registry, outcome.name, outcome.version)})`
        : ''
    ],
    [
      'Version',
      outcome.oldVersion
        ? `${outcome.oldVersion} → ${outcome.version} (${outcome.type})`
        : outcome.version && `${outcome.version} (${outcome.type || 'initial'})`
    ],
    ['Tag', outcome.tag],
    ['Access', outcome.access || 'registry default'],
    ['Registry', outcome.registry],
    ['Integrity', outcome.integrity && `\`${outcome.integrity}\``],
    ['Published', String(outcome.published)],
    ['Stage', outcome.stageId],
    ['Auth', outcome.authPath && `${outcome.authPath} (${outcome.authReason})`],
    ['Token check', outcome.tokenCheck]
  ]
  lines.push('| | |', '| --- | --- |')
  for (const [label, value] of rows) if (value) lines.push(`| ${label} | ${escapeCell(value)} |`)
  if (outcome.checks.length) {
    lines.push('', '### Token checks', '', '| Check | Result | Detail |', '| --- | --- | --- |')
    for (const check of outcome.checks) {
      const result =
        check.code && check.status === 'fail'
          ? `${STATUS_ICON[check.status]} (${check.code})`
          : STATUS_ICON[check.status]
      lines.push(`| ${check.title} | ${result} | ${escapeCell(check.detail)} |`)
    }
  }
  return `${lines.join('\n')}\n`
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

export function writeSummary(outcome: Outcome): void {
  workflow.appendSummary(summaryMarkdown(outcome))
}
