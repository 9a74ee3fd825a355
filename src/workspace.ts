import fs from 'node:fs'
import path from 'node:path'
import satisfies from 'semver/functions/satisfies.js'
import validRange from 'semver/ranges/valid.js'
import { PublishError, combine } from './errors.js'
import {
  DEPENDENCY_FIELDS,
  isRecord,
  parseManifestText,
  readDirectoryManifest,
  validateManifest,
  readManifestFile,
  readRegularFile,
  type DependencyField,
  type Manifest
} from './manifest.js'

/** A workspace as npm / yarn (`workspaces` in package.json) or pnpm (pnpm-workspace.yaml) lays it out. */
export interface Workspace {
  root: string
  tool: 'npm' | 'pnpm'
  /** Every package of the workspace (the root too when it is a package), in discovery order. */
  members: Member[]
  /** pnpm catalogs: `catalog:` (the default) and `catalog:<name>`. */
  catalogs: Record<string, Record<string, string>>
}

export interface Member {
  dir: string
  /** Relative to the root, `/`-separated (`packages/core`), `.` for the root. */
  path: string
  manifest: Manifest
}

/** Is `dir` a workspace root (a `workspaces` field, or pnpm-workspace.yaml)? */
export function isWorkspaceRoot(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return true
  try {
    const json = parseManifestText(readManifestFile(dir).text, dir)
    return isRecord(json) && json['workspaces'] !== undefined
  } catch {
    return false
  }
}

/**
 * The workspace rooted at `root`, globs read as the tools read them: npm's rules for `workspaces`
 * (`!negations` dropped by a later positive pattern, node_modules ignored, only directories with a
 * package.json, the root itself never a workspace), pnpm's for pnpm-workspace.yaml (negations
 * anywhere, node_modules and bower_components ignored, the root always included). The root is a
 * member here when it is a package of its own (name and version). Duplicate names are refused.
 */
export async function loadWorkspace(root: string): Promise<Workspace> {
  const pnpmFile = path.join(root, 'pnpm-workspace.yaml')
  const tool = fs.existsSync(pnpmFile) ? 'pnpm' : 'npm'
  const { patterns, catalogs } =
    tool === 'pnpm' ? await readPnpmWorkspace(pnpmFile) : readNpmWorkspaces(root)
  const dirs = await expand(root, patterns, tool)
  const members: Member[] = []
  const problems: PublishError[] = []
  const rootMember = readMember(root, root, problems, true)
  if (rootMember) members.push(rootMember)
  for (const dir of dirs) {
    const member = readMember(root, dir, problems, false)
    if (member) members.push(member)
  }
  const byName = new Map<string, string>()
  for (const member of members) {
    const seen = byName.get(member.manifest.name)
    if (seen) {
      problems.push(
        new PublishError(
          'PACKAGE_INVALID',
          `Two workspace packages are named ${member.manifest.name}: ${seen} and ${member.path}`
        )
      )
    }
    byName.set(member.manifest.name, member.path)
  }
  if (problems.length) throw combine(problems)
  return { root, tool, members, catalogs }
}

/** A workspace directory's package, or undefined for one that is not a package (no name / version). */
function readMember(
  root: string,
  dir: string,
  problems: PublishError[],
  isRoot: boolean
): Member | undefined {
  if (!fs.existsSync(path.join(dir, 'package.json'))) return undefined
  let raw: unknown
  try {
    raw = parseManifestText(readManifestFile(dir).text, path.join(dir, 'package.json'))
  } catch (error) {
    if (error instanceof PublishError) problems.push(error)
    return undefined
  }
  // Tooling packages (and most roots) carry no name or version: not packages to publish.
  if (!isRecord(raw) || typeof raw['name'] !== 'string' || typeof raw['version'] !== 'string') {
    return undefined
  }
  if (isRoot && raw['private'] === true) return undefined
  const where = path.join(dir, 'package.json')
  try {
    // A private package is never published: only what other packages need of it (its name,
    // version and dependencies) is read, not the rules for what npm would upload.
    const manifest =
      raw['private'] === true
        ? validateManifest({ ...raw, publishConfig: undefined, tag: undefined }, where)
        : readDirectoryManifest(dir)
    return { dir, path: toPosix(path.relative(root, dir)) || '.', manifest }
  } catch (error) {
    if (error instanceof PublishError) problems.push(error)
    return undefined
  }
}

function readNpmWorkspaces(root: string): { patterns: string[]; catalogs: Workspace['catalogs'] } {
  const json = parseManifestText(readManifestFile(root).text, path.join(root, 'package.json'))
  const field = isRecord(json) ? json['workspaces'] : undefined
  const list = Array.isArray(field) ? field : isRecord(field) ? field['packages'] : undefined
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `${path.join(root, 'package.json')} has no "workspaces" list (an array of globs, or {"packages": [...]})`
    )
  }
  return { patterns: list, catalogs: {} }
}

async function readPnpmWorkspace(
  file: string
): Promise<{ patterns: string[]; catalogs: Workspace['catalogs'] }> {
  // The YAML parser loads only for a pnpm workspace.
  const yaml = await import('js-yaml')
  let doc: unknown
  try {
    doc = yaml.load(readRegularFile(file))
  } catch (error) {
    if (error instanceof PublishError) throw error
    throw new PublishError('PACKAGE_INVALID', `${file} is not valid YAML: ${String(error)}`)
  }
  const config = isRecord(doc) ? doc : {}
  const packages = config['packages']
  if (
    packages !== undefined &&
    !(Array.isArray(packages) && packages.every((p) => typeof p === 'string' && p))
  ) {
    throw new PublishError('PACKAGE_INVALID', `${file}: "packages" must be a list of globs`)
  }
  const catalogs: Workspace['catalogs'] = {}
  const strings = (value: unknown): Record<string, string> =>
    isRecord(value)
      ? Object.fromEntries(
          Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')
        )
      : {}
  if (
    config['catalog'] != null &&
    isRecord(config['catalogs']) &&
    config['catalogs']['default'] != null
  ) {
    // pnpm refuses it too (INVALID_CATALOGS_CONFIGURATION).
    throw new PublishError(
      'PACKAGE_INVALID',
      `${file} defines the default catalog twice ("catalog" and "catalogs.default"); pnpm accepts one or the other`
    )
  }
  if (isRecord(config['catalog'])) catalogs['default'] = strings(config['catalog'])
  if (isRecord(config['catalogs'])) {
    for (const [name, entries] of Object.entries(config['catalogs']))
      catalogs[name] = strings(entries)
  }
  // No packages list: the root alone (pnpm's rule).
  return { patterns: (packages as string[] | undefined) ?? [], catalogs }
}

/** Directory names no tool looks into for workspace packages. */
const IGNORED: Record<Workspace['tool'], Set<string>> = {
  npm: new Set(['node_modules']),
  pnpm: new Set(['node_modules', 'bower_components'])
}

/**
 * The member directories the patterns name, in the tools' order: npm sorts each pattern's matches
 * (`localeCompare`, 'en') and keeps the groups in pattern order; pnpm sorts them all by code point.
 * A negation excludes the directories it matches (its children too only when it ends in `/**`); npm
 * drops a negation that a later positive pattern matches (`["packages/**", "!packages/b/**",
 * "packages/b/sub"]` keeps `b` and `b/sub`), pnpm applies every negation wherever it stands.
 */
async function expand(
  root: string,
  patterns: string[],
  tool: Workspace['tool']
): Promise<string[]> {
  if (typeof fs.promises.glob !== 'function') {
    throw new PublishError(
      'INPUT_INVALID',
      '`workspaces: true` needs Node.js 22 or newer to read workspace globs'
    )
  }
  const positives: string[] = []
  let negations: string[] = []
  for (const raw of patterns) {
    const bangs = /^!*/.exec(raw)?.[0].length ?? 0
    const pattern = raw
      .slice(bangs)
      .replace(/^\.?\/+/, '')
      .replace(/\/+$/, '')
    if (!pattern) continue
    if (bangs % 2 === 1) {
      negations.push(pattern)
      continue
    }
    // npm (map-workspaces): a positive pattern lifts the earlier negations it matches.
    if (tool === 'npm')
      negations = negations.filter((negation) => !path.matchesGlob(pattern, negation))
    positives.push(pattern)
  }
  const negated = (relative: string): boolean =>
    negations.some(
      (negation) =>
        path.matchesGlob(relative, negation) ||
        (negation.endsWith('/**') && path.matchesGlob(relative, negation.slice(0, -3)))
    )
  const ignored = IGNORED[tool]
  const found = new Set<string>()
  const ordered: string[] = []
  for (const pattern of positives) {
    const group: string[] = []
    for await (const match of fs.promises.glob(pattern, {
      cwd: root,
      // Called with entry names and relative paths alike: prune by any segment.
      exclude: (name: string) =>
        toPosix(name)
          .split('/')
          .some((part) => ignored.has(part))
    })) {
      const relative = toPosix(String(match))
      if (relative === '' || relative === '.' || found.has(relative) || negated(relative)) continue
      // Node consults `exclude` while it walks, not for what a last `*` segment matches.
      if (relative.split('/').some((part) => ignored.has(part))) continue
      const dir = path.join(root, relative)
      if (!isDirectory(dir) || !fs.existsSync(path.join(dir, 'package.json'))) continue
      found.add(relative)
      group.push(relative)
    }
    if (tool === 'npm') group.sort((a, b) => a.localeCompare(b, 'en'))
    ordered.push(...group)
  }
  if (tool === 'pnpm') ordered.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return ordered.map((relative) => path.join(root, relative))
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory()
  } catch {
    return false
  }
}

function toPosix(value: string): string {
  return value.split(path.sep).join('/')
}

/** The workspace above `dir` that holds it as a member (for a single-package step with workspace: ranges). */
export async function findEnclosingWorkspace(dir: string): Promise<Workspace | undefined> {
  for (let up = path.dirname(dir); ; up = path.dirname(up)) {
    if (isWorkspaceRoot(up)) {
      const workspace = await loadWorkspace(up)
      if (workspace.members.some((member) => path.resolve(member.dir) === path.resolve(dir)))
        return workspace
    }
    if (path.dirname(up) === up) return undefined
  }
}

/** The fields whose dependencies order the publishes (a dependent goes after its dependencies). */
const ORDER_FIELDS: DependencyField[] = ['dependencies', 'optionalDependencies', 'peerDependencies']

/** The member names `member` depends on (order fields only), among `members`. */
export function workspaceDependencies(member: Member, members: Member[]): string[] {
  const byName = new Map(members.map((m) => [m.manifest.name, m]))
  const names = new Set<string>()
  for (const field of ORDER_FIELDS) {
    for (const [name, spec] of Object.entries(member.manifest.dependencies[field] ?? {})) {
      const target = resolveTarget(member, name, spec, members)
      const dep = target ?? byName.get(name)
      if (!dep || dep === member) continue
      // A plain range counts only when the workspace's version satisfies it.
      if (
        target ||
        (validRange(spec) && satisfies(dep.manifest.version, spec, { includePrerelease: true }))
      ) {
        names.add(dep.manifest.name)
      }
    }
  }
  return [...names]
}

/**
 * The members in publish order: each after every member it depends on. A cycle is refused,
 * naming it.
 */
export function publishOrder(members: Member[]): Member[] {
  const deps = new Map(members.map((m) => [m.manifest.name, workspaceDependencies(m, members)]))
  const done = new Set<string>()
  const order: Member[] = []
  let remaining = [...members]
  while (remaining.length) {
    const ready = remaining.filter((m) =>
      (deps.get(m.manifest.name) ?? []).every((d) => done.has(d))
    )
    if (ready.length === 0) {
      throw new PublishError(
        'PACKAGE_INVALID',
        `The workspace packages depend on each other in a cycle: ${describeCycle(remaining, deps)}`,
        'Break the cycle (move the shared code to a package both depend on, or make one edge a devDependency): npm cannot install packages published in a cycle reliably.'
      )
    }
    for (const member of ready) {
      done.add(member.manifest.name)
      order.push(member)
    }
    remaining = remaining.filter((m) => !done.has(m.manifest.name))
  }
  return order
}

function describeCycle(remaining: Member[], deps: Map<string, string[]>): string {
  const names = new Set(remaining.map((m) => m.manifest.name))
  // Walk dependencies inside the remaining set until a name repeats.
  const path: string[] = []
  let current = remaining[0].manifest.name
  while (!path.includes(current)) {
    path.push(current)
    current = (deps.get(current) ?? []).find((d) => names.has(d)) ?? current
  }
  return [...path.slice(path.indexOf(current)), current].join(' → ')
}

/** What a published manifest's dependency becomes, and why it changed. */
export interface Rewrite {
  field: DependencyField
  name: string
  from: string
  to: string
}

/**
 * The `workspace:`, `catalog:` and workspace-pointing `file:` / `link:` specs of a member, as pnpm
 * publishes them (`createExportableManifest`, pnpm 10): `workspace:*` → the version,
 * `workspace:^` / `workspace:~` → `^version` / `~version`, `workspace:<range>` → the range,
 * `workspace:./path` → the version, an alias `workspace:name@^` → `npm:name@^version` (and a path
 * or `file:` / `link:` to a member under another name → `npm:name@version`); `catalog:` /
 * `catalog:<name>` → the catalog's range. Beyond pnpm (which would publish them verbatim, so
 * nobody could install them): `file:` / `link:` to a member → its version; `workspace:>=` (pnpm
 * does this for peers only) → `>=version`; a `workspace:` inside a longer range (`^1.0.0 ||
 * workspace:^`, pnpm's peer rule) rewritten in place in every field. A spec that points at no
 * member, or at a private one (outside devDependencies), is refused.
 */
export function rewritesFor(
  member: Member,
  workspace: Pick<Workspace, 'members' | 'catalogs'>,
  privateNames: Set<string>
): Rewrite[] {
  const rewrites: Rewrite[] = []
  const problems: PublishError[] = []
  const where = `${member.manifest.name} (${member.path})`
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(member.manifest.dependencies[field] ?? {})) {
      const to = rewriteSpec(member, field, name, spec, workspace, privateNames, where, problems)
      if (to !== undefined && to !== spec) rewrites.push({ field, name, from: spec, to })
    }
  }
  if (problems.length) throw combine(problems)
  return rewrites
}

/** `workspace:` with an optional operator and version, as pnpm's peer rule finds it in a range. */
const EMBEDDED_WORKSPACE =
  /workspace:([\^~*]|>=|>|<=|<)?((?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?)?/g

function rewriteSpec(
  member: Member,
  field: DependencyField,
  name: string,
  spec: string,
  workspace: Pick<Workspace, 'members' | 'catalogs'>,
  privateNames: Set<string>,
  where: string,
  problems: PublishError[]
): string | undefined {
  const refuse = (why: string, hint?: string): undefined => {
    problems.push(
      new PublishError('PACKAGE_INVALID', `${where}: ${field}.${name} is "${spec}", ${why}`, hint)
    )
    return undefined
  }
  if (spec.startsWith('catalog:')) return catalogRange(spec, name, workspace.catalogs, refuse)
  const isWorkspace = spec.startsWith('workspace:')
  const isLocal = /^(file|link):/.test(spec)
  // `^1.0.0 || workspace:^`, `workspace:>=1.0.0 <2.0.0`: each `workspace:` replaced in place.
  const isEmbedded = !isLocal && spec.includes('workspace:') && (!isWorkspace || /[\s|]/.test(spec))
  if (!isWorkspace && !isLocal && !isEmbedded) return undefined
  const target = isEmbedded
    ? workspace.members.find((m) => m.manifest.name === name)
    : resolveTarget(member, name, spec, workspace.members)
  if (!target) {
    // A file:/link: spec outside the workspace is npm's to publish as is.
    return isLocal ? undefined : refuse('but the workspace has no such package')
  }
  if (field !== 'devDependencies' && privateNames.has(target.manifest.name)) {
    return refuse(
      `the private workspace package ${target.manifest.name}, which is never published`,
      'Publish that package too (remove "private"), or make it a devDependency.'
    )
  }
  const version = target.manifest.version
  // Under another name than the package's own, npm installs it through an alias.
  const exact = target.manifest.name === name ? version : `npm:${target.manifest.name}@${version}`
  if (isLocal) return exact
  if (isEmbedded) {
    return spec.replace(EMBEDDED_WORKSPACE, (_, operator: string | undefined, given?: string) =>
      given ? `${operator ?? ''}${given}` : `${operator === '*' ? '' : (operator ?? '')}${version}`
    )
  }
  const rest = spec.slice('workspace:'.length)
  if (rest.startsWith('./') || rest.startsWith('../') || rest.startsWith('/')) return exact
  const alias = /^(?:(.+)@)?([\^~*])?$/.exec(rest)
  if (alias) {
    const prefix = alias[2] === '^' || alias[2] === '~' ? alias[2] : ''
    const range = `${prefix}${version}`
    return target.manifest.name === name ? range : `npm:${target.manifest.name}@${range}`
  }
  const operator = /^(>=|>|<=|<)$/.exec(rest)?.[1]
  if (operator) return `${operator}${version}`
  return rest.includes('@') ? `npm:${rest}` : rest
}

/** pnpm's catalog lookup (`resolveFromCatalog`): `catalog:` is the default catalog. */
function catalogRange(
  spec: string,
  name: string,
  catalogs: Workspace['catalogs'],
  refuse: (why: string) => undefined
): string | undefined {
  const catalog = spec.slice('catalog:'.length).trim() || 'default'
  const range = catalogs[catalog]?.[name]
  if (range === undefined) return refuse(`but the workspace's catalog "${catalog}" has no ${name}`)
  const protocol = /^([a-z]+):/.exec(range)?.[1]
  if (
    protocol === 'catalog' ||
    protocol === 'workspace' ||
    protocol === 'file' ||
    protocol === 'link'
  )
    return refuse(
      `and its catalog "${catalog}" entry is "${range}", which pnpm refuses in a catalog`
    )
  return range
}

/** The member a `workspace:`, `file:` or `link:` spec (or an alias in it) points at. */
function resolveTarget(
  member: Member,
  name: string,
  spec: string,
  members: Member[]
): Member | undefined {
  const byName = (wanted: string): Member | undefined =>
    members.find((m) => m.manifest.name === wanted)
  const byDir = (relative: string): Member | undefined => {
    const dir = path.resolve(member.dir, relative)
    return members.find((m) => path.resolve(m.dir) === dir)
  }
  if (/^(file|link):/.test(spec)) return byDir(spec.replace(/^(file|link):/, ''))
  if (!spec.startsWith('workspace:')) {
    return spec.includes('workspace:') ? byName(name) : undefined
  }
  const rest = spec.slice('workspace:'.length)
  if (rest.startsWith('./') || rest.startsWith('../') || rest.startsWith('/')) return byDir(rest)
  // An alias names the real package: `workspace:@scope/real@^`, `workspace:real@*`.
  const at = rest.indexOf('@', 1)
  return byName(at > 0 ? rest.slice(0, at) : name)
}

/** package.json text with the rewrites applied, other fields and their order untouched. */
export function applyRewrites(
  raw: Record<string, unknown>,
  rewrites: Rewrite[]
): Record<string, unknown> {
  const copy = structuredClone(raw)
  for (const { field, name, to } of rewrites) {
    const deps = copy[field]
    if (isRecord(deps)) deps[name] = to
  }
  return copy
}

/** Does a manifest carry specs that must be rewritten before it is published? */
export function needsWorkspace(manifest: Manifest): boolean {
  return DEPENDENCY_FIELDS.some((field) =>
    Object.values(manifest.dependencies[field] ?? {}).some(
      (spec) => /^catalog:/.test(spec) || spec.includes('workspace:')
    )
  )
}
