import { describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { ERROR_CODES } from '../src/errors.js'
import { emptyRun } from '../src/outcome.js'
import { outputsOf } from '../src/report.js'

/** The README's tables are checked against action.yml and the code, so the docs cannot drift. */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')

interface ActionInput {
  description?: unknown
  required?: unknown
  default?: unknown
}
interface ActionYml {
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description?: unknown }>
}
const action = parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) as ActionYml
const inputNames = Object.keys(action.inputs)
const outputNames = Object.keys(action.outputs)

interface Table {
  header: string[]
  /** Each row keyed by its header cell. */
  rows: Record<string, string>[]
}

/** The lines of the section under `## heading` (any level), up to the next heading of the same or a higher level. */
function sectionLines(markdown: string, heading: string): string[] {
  const lines = markdown.split(/\r?\n/)
  let fenced = false
  let start = -1
  let level = 0
  for (const [index, line] of lines.entries()) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    if (fenced) continue
    const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line)
    if (!match) continue
    if (start >= 0 && match[1].length <= level) {
      return lines.slice(start + 1, index)
    }
    if (start < 0 && match[2] === heading) {
      start = index
      level = match[1].length
    }
  }
  if (start < 0) throw new Error(`README has no "${heading}" heading`)
  return lines.slice(start + 1)
}

function splitRow(line: string, where: string): string[] {
  const trimmed = line.trim()
  if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) {
    throw new Error(`${where}: a table row must start and end with "|": ${line}`)
  }
  return trimmed
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'))
}

/** The one table at the top level of the section under `heading` (tables nested in lists are ignored). */
function tableUnder(markdown: string, heading: string): Table {
  const lines = sectionLines(markdown, heading)
  const tables: string[][] = []
  let fenced = false
  let current: string[] | undefined
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const row = !fenced && line.startsWith('|')
    if (row) {
      if (!current) tables.push((current = []))
      current.push(line)
    } else {
      current = undefined
    }
  }
  if (tables.length !== 1) {
    throw new Error(`"${heading}" must hold exactly one top-level table, found ${tables.length}`)
  }
  const [headerLine, separator, ...body] = tables[0]
  const header = splitRow(headerLine, heading)
  const divider = separator === undefined ? [] : splitRow(separator, heading)
  if (divider.length !== header.length || !divider.every((cell) => /^:?-{3,}:?$/.test(cell))) {
    throw new Error(`"${heading}": the table's second line must be its | --- | separator`)
  }
  const rows = body.map((line) => {
    const cells = splitRow(line, heading)
    if (cells.length !== header.length) {
      throw new Error(
        `"${heading}": ${cells.length} cells where the header has ${header.length}: ${line}`
      )
    }
    return Object.fromEntries(header.map((name, index) => [name, cells[index]]))
  })
  return { header, rows }
}

/** A first-column cell: exactly one code span, e.g. `token`. */
function nameIn(cell: string): string {
  const match = /^`([^`\s]+)`$/.exec(cell)
  if (!match) throw new Error(`the first cell of a row must be a name in backticks: ${cell}`)
  return match[1]
}

/** The names in the first column, unique. */
function names(table: Table): string[] {
  const result = table.rows.map((row) => nameIn(row[table.header[0]]))
  const duplicates = result.filter((name, index) => result.indexOf(name) !== index)
  expect(duplicates).toEqual([])
  return result
}

/** `value <default>`, `required`, or `not set` — what the Default column must say. */
function declaredDefault(input: ActionInput): string {
  if (input.default !== undefined && input.default !== null) {
    return `value ${typeof input.default === 'string' ? input.default : JSON.stringify(input.default)}`
  }
  return input.required === true ? 'required' : 'not set'
}

/** The Default cell: a code span holding the value, `required`, or text starting "not set". */
function documentedDefault(cell: string): string {
  const value = /^`([^`]*)`$/.exec(cell)
  if (value) return `value ${value[1]}`
  if (cell === 'required') return 'required'
  return cell.startsWith('not set') ? 'not set' : `unreadable default cell: ${cell}`
}

const sorted = (values: Iterable<string>): string[] => [...values].sort()

describe('the table parser', () => {
  const doc = [
    '# Title',
    '## Inputs',
    'text',
    '| Input | Default |',
    '| --- | --- |',
    '| `a` | `x \\| y` |',
    '```',
    '## Inputs',
    '| not | a table |',
    '```',
    '- a list',
    '  | nested | table |',
    '  | --- | --- |',
    '### Sub',
    '## Next',
    '| other | table |'
  ].join('\n')

  it('finds the one table under a heading, skipping fences and nested tables', () => {
    expect(tableUnder(doc, 'Inputs')).toEqual({
      header: ['Input', 'Default'],
      rows: [{ Input: '`a`', Default: '`x | y`' }]
    })
  })

  it('refuses a missing heading, a missing separator and ragged rows', () => {
    expect(() => tableUnder(doc, 'Outputs')).toThrow('no "Outputs" heading')
    expect(() => tableUnder('## T\n| a | b |\n| `x` | y |', 'T')).toThrow('separator')
    expect(() => tableUnder('## T\n| a | b |\n| --- | --- |\n| `x` |', 'T')).toThrow('1 cells')
    expect(() => tableUnder('## T\ntext only', 'T')).toThrow('found 0')
  })
})

describe('action.yml', () => {
  it('describes every input and output', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, typeof input.description]).toEqual([name, 'string'])
      expect([name, String(input.description).trim().length > 10]).toEqual([name, true])
    }
    for (const [name, output] of Object.entries(action.outputs)) {
      expect([name, typeof output.description]).toEqual([name, 'string'])
      expect([name, String(output.description).trim().length > 5]).toEqual([name, true])
    }
  })

  it.each(['tag', 'registry', 'provenance'])(
    'gives `%s` no default, so "not chosen" stays distinguishable (the runner fills in declared defaults)',
    (name) => {
      expect(action.inputs[name]).toBeDefined()
      expect(action.inputs[name]).not.toHaveProperty('default')
    }
  )

  it('declares exactly the outputs the action sets', () => {
    expect(sorted(Object.keys(outputsOf(emptyRun())))).toEqual(sorted(outputNames))
  })
})

describe('README', () => {
  const inputs = tableUnder(readme, 'Inputs')
  const outputs = tableUnder(readme, 'Outputs')
  const troubleshooting = tableUnder(readme, 'Troubleshooting')

  it('shows the uses: snippet with the token secret', () => {
    expect(readme).toContain('uses: org/npm-automation-publish@v1')
    expect(readme).toContain('token: ${{ secrets.NPM_TOKEN }}')
  })

  it('starts with a complete workflow, and trusted publishing, on the first screen', () => {
    const firstScreen = readme.split(/\r?\n/).slice(0, 60).join('\n')
    for (const key of [
      'on:',
      'permissions:',
      'jobs:',
      'runs-on:',
      'uses: org/npm-automation-publish@v1',
      'auth: oidc'
    ]) {
      expect([key, firstScreen.includes(key)]).toEqual([key, true])
    }
  })

  it('links every section of the table of contents, Development and trusted publishing included', () => {
    const toc = readme.slice(0, readme.indexOf('## Inputs'))
    const anchors = [...toc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1])
    const headings = [...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-')
    )
    expect(anchors).toEqual(
      expect.arrayContaining([
        'development',
        'trusted-publishing-and-staged-publishing',
        'workspaces'
      ])
    )
    for (const anchor of anchors)
      expect([anchor, headings.includes(anchor)]).toEqual([anchor, true])
  })

  it('gives every recipe a complete workflow with the same action versions', () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
    const workflows = blocks.filter((block) => /^name: /m.test(block))
    expect(workflows.length).toBeGreaterThanOrEqual(7)
    for (const workflow of workflows) {
      for (const key of ['on:', 'jobs:', 'runs-on:'])
        expect([key, workflow.includes(key)]).toEqual([key, true])
      const parsed = parse(workflow) as { jobs?: unknown }
      expect(typeof parsed.jobs).toBe('object')
    }
    const versions = new Set(
      blocks.flatMap((block) =>
        [...block.matchAll(/uses: (actions\/[\w-]+@\S+)/g)].map((m) => m[1])
      )
    )
    expect([...versions].sort()).toEqual(['actions/checkout@v6', 'actions/setup-node@v6'])
  })

  it("lists exactly action.yml's inputs, in its order", () => {
    expect(inputs.header.slice(0, 3)).toEqual(['Input', 'Default', 'Description'])
    expect(names(inputs)).toEqual(inputNames)
  })

  it("gives each input action.yml's default", () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [name, declaredDefault(input)])
    )
    const documented = Object.fromEntries(
      inputs.rows.map((row) => [nameIn(row['Input']), documentedDefault(row['Default'])])
    )
    expect(documented).toEqual(declared)
    for (const row of inputs.rows) expect(row['Description'].length).toBeGreaterThan(10)
  })

  it("lists exactly action.yml's outputs, in its order", () => {
    expect(outputs.header.slice(0, 2)).toEqual(['Output', 'Description'])
    expect(names(outputs)).toEqual(outputNames)
    for (const row of outputs.rows) expect(row['Description'].length).toBeGreaterThan(5)
  })

  it('troubleshoots exactly the error codes of src/errors.ts, each with cause and remedy', () => {
    expect(troubleshooting.header).toEqual(['Code', 'Cause', 'Remedy'])
    expect(sorted(names(troubleshooting))).toEqual(sorted(Object.keys(ERROR_CODES)))
    for (const row of troubleshooting.rows) {
      expect([row['Code'], row['Cause'].length > 10, row['Remedy'].length > 10]).toEqual([
        row['Code'],
        true,
        true
      ])
    }
  })
})
