// A job summary as GitHub shows it, and the log as the Actions UI shows it, for tests that read
// them as a person would.
//
// GitHub renders a summary with cmark-gfm and its GFM extensions (tables, strikethrough, autolink
// literals, tag filter, task lists), raw HTML allowed, then sanitizes the HTML. micromark with
// micromark-extension-gfm follows cmark-gfm construct for construct; the raw HTML is kept here (not
// stripped) so that the test sees what the markdown made of it, and then checked: every element must
// be one the action writes, every link one it builds, and GitHub's sanitizer (hast-util-sanitize's
// default schema is GitHub's) must have nothing to remove.
import type { Element, ElementContent, Root, RootContent } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { sanitize } from 'hast-util-sanitize'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

/** The elements the action's summary is made of; anything else came from somewhere else. */
const ELEMENTS = new Set([
  'h2',
  'h3',
  'p',
  'strong',
  'code',
  'table',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'a'
])

/** The attributes it writes (hast property names). */
const ATTRIBUTES: Record<string, string[]> = { a: ['href'], td: ['colSpan'], th: ['colSpan'] }

export interface Rendered {
  /** The HTML GitHub would serve (before its sanitizer). */
  html: string
  tree: Root
  /** Every problem found; empty when the summary reads as the action wrote it. */
  problems: string[]
  /** The text a reader sees (cells and blocks separated by line breaks). */
  text: string
  /** The first h2's text. */
  heading: string
  /** Rows of each table, as the text of their cells. */
  tables: string[][][]
}

/** Markdown → HTML as GitHub's cmark-gfm does it (raw HTML passed through, GFM extensions on). */
export function renderGfm(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()]
  })
}

/**
 * Renders a summary and checks it. `links` are the only hrefs the action may have written (the
 * package links it builds).
 */
export function renderSummary(markdown: string, links: readonly string[]): Rendered {
  const html = renderGfm(markdown)
  const tree = fromHtml(html, { fragment: true })
  const problems: string[] = []
  const tables: string[][][] = []
  visit(tree, (node) => {
    const where = `<${node.tagName}> "${textOf(node).slice(0, 80)}"`
    if (!ELEMENTS.has(node.tagName)) problems.push(`element ${where}`)
    for (const [name, value] of Object.entries(node.properties)) {
      if (!(ATTRIBUTES[node.tagName] ?? []).includes(name))
        problems.push(`attribute ${name}=${String(value)} on ${where}`)
    }
    if (node.tagName === 'a') {
      const href = String(node.properties['href'] ?? '')
      if (/^mailto:/i.test(href)) problems.push(`an e-mail link ${href}`)
      else if (!links.includes(href)) problems.push(`a link to ${href} (${where})`)
    }
    if (node.tagName === 'table') tables.push(tableProblems(node, problems))
  })
  // cmark-gfm autolinks `name@1.0.0-beta` as an e-mail address (a domain ending in a letter), and
  // GitHub has been seen to link `@scope/name@1.0.0` too (issue 17; `@scope` reads as a mention):
  // a package id is shown as code, where nothing is linked.
  for (const text of loneTexts(tree)) {
    for (const id of text.match(PACKAGE_ID) ?? []) problems.push(`${id} outside <code>`)
  }
  const [before, after] = [shape(tree), shape(sanitize(tree))]
  if (before !== after) {
    let at = 0
    while (before[at] === after[at]) at++
    const near = (s: string): string => s.slice(Math.max(0, at - 60), at + 60)
    problems.push(`GitHub's sanitizer would change …${near(before)}… to …${near(after)}…`)
  }
  const heading = findElement(tree, 'h2')
  return {
    html,
    tree,
    problems,
    text: textOf(tree, '\n')
      .replace(/\n{2,}/g, '\n')
      .trim(),
    heading: heading ? textOf(heading).trim() : '',
    tables
  }
}

/** `name@version`, scoped or not, as it stands in a sentence. */
const PACKAGE_ID = /(?<![\w@/.-])(?:@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+(?:-[\w.-]*\w)?/g

/** Text nodes outside `<code>` and `<a>`. */
function loneTexts(node: Root | Element): string[] {
  const out: string[] = []
  for (const child of node.children as (RootContent | ElementContent)[]) {
    if (child.type === 'text') out.push(child.value)
    else if (child.type === 'element' && child.tagName !== 'code' && child.tagName !== 'a')
      out.push(...loneTexts(child))
  }
  return out
}

function tableProblems(table: Element, problems: string[]): string[][] {
  const rows: Element[] = []
  visit(table, (node) => {
    if (node.tagName === 'tr') rows.push(node)
  })
  const cells = rows.map((row) =>
    row.children.filter((c): c is Element => c.type === 'element' && /^t[hd]$/.test(c.tagName))
  )
  const texts = cells.map((row) => row.map((cell) => textOf(cell).trim()))
  const header = cells[0] ?? []
  if (header.length === 0 || header.some((cell) => cell.tagName !== 'th'))
    problems.push(`a table without a header row: ${JSON.stringify(texts[0] ?? [])}`)
  else if (texts[0].every((t) => t === '') || texts[0].some((t) => t === ''))
    problems.push(`a table with an empty header cell: ${JSON.stringify(texts[0])}`)
  const width = (row: Element[]): number =>
    row.reduce((n, cell) => n + Number(cell.properties['colSpan'] ?? 1), 0)
  for (const [i, row] of cells.entries()) {
    if (texts[i].every((t) => t === '')) problems.push(`an empty table row (row ${i})`)
    if (width(row) !== width(header))
      problems.push(`row ${i} has ${width(row)} columns, the header ${width(header)}`)
  }
  return texts
}

function visit(node: Root | Element, each: (element: Element) => void): void {
  for (const child of node.children as (RootContent | ElementContent)[]) {
    if (child.type === 'element') {
      each(child)
      visit(child, each)
    }
  }
}

function findElement(node: Root | Element, tag: string): Element | undefined {
  let found: Element | undefined
  visit(node, (element) => {
    if (!found && element.tagName === tag) found = element
  })
  return found
}

const BLOCKS = new Set(['h2', 'h3', 'p', 'table', 'tr', 'ul', 'li', 'th', 'td'])

function textOf(node: Root | Element, separator = ''): string {
  let out = ''
  for (const child of node.children as (RootContent | ElementContent)[]) {
    if (child.type === 'text') out += child.value
    else if (child.type === 'element') {
      const block = separator && BLOCKS.has(child.tagName)
      out += `${block ? separator : ''}${textOf(child, separator)}${block ? separator : ''}`
    }
  }
  return out
}

/** The tree as tags, attributes and text, without positions (to compare two trees). */
function shape(node: Root | RootContent | ElementContent): string {
  if (node.type === 'text') return JSON.stringify(node.value)
  if (node.type === 'element') {
    const props = Object.entries(node.properties)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .sort()
      .join(' ')
    return `<${node.tagName}${props ? ` ${props}` : ''}>${node.children.map(shape).join('')}</${node.tagName}>`
  }
  if (node.type === 'root') return node.children.map(shape).join('')
  return node.type === 'comment' ? `<!--${node.value}-->` : ''
}

// --- the log ------------------------------------------------------------------------------

export interface Annotation {
  kind: 'error' | 'warning' | 'notice'
  title?: string
  message: string
}

export interface LogView {
  /** The lines a reader sees: masks consumed, groups and annotations as lines of their own. */
  lines: string[]
  annotations: Annotation[]
  /** Each group's title and its lines. */
  groups: { title: string; lines: string[] }[]
}

const unescapeData = (s: string): string =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
const unescapeProperty = (s: string): string =>
  unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',')

/**
 * The main step's stdout as the Actions UI shows it: `::add-mask::` consumed, workflow commands
 * read (but not between `::stop-commands::` and its resume token), groups collected.
 */
export function readLog(stdout: string): LogView {
  const view: LogView = { lines: [], annotations: [], groups: [] }
  let stopped: string | undefined
  let group: { title: string; lines: string[] } | undefined
  for (const line of stdout.split('\n')) {
    if (stopped) {
      if (line === `::${stopped}::`) stopped = undefined
      else {
        view.lines.push(line)
        group?.lines.push(line)
      }
      continue
    }
    const stop = /^::stop-commands::(.+)$/.exec(line)
    if (stop) {
      stopped = stop[1]
      continue
    }
    if (line.startsWith('::add-mask::') || line.startsWith('::debug::')) continue
    const start = /^::group::(.*)$/.exec(line)
    if (start) {
      group = { title: unescapeData(start[1]), lines: [] }
      view.groups.push(group)
      view.lines.push(`▸ ${group.title}`)
      continue
    }
    if (line === '::endgroup::') {
      group = undefined
      continue
    }
    const command = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)
    if (command) {
      const props = Object.fromEntries(
        (command[2] ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => {
            const at = pair.indexOf('=')
            return [pair.slice(0, at), unescapeProperty(pair.slice(at + 1))]
          })
      )
      const annotation: Annotation = {
        kind: command[1] as Annotation['kind'],
        title: props['title'],
        message: unescapeData(command[3])
      }
      view.annotations.push(annotation)
      view.lines.push(
        `${annotation.kind}${annotation.title ? ` (${annotation.title})` : ''}: ${annotation.message}`
      )
      continue
    }
    view.lines.push(line)
    group?.lines.push(line)
  }
  return view
}

/** Sentences of a text ("…. " separated), for "nothing said twice". */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z(`"])/)
    .map((s) => s.trim())
    .filter(Boolean)
}
