import * as core from '@actions/core'
import path from 'node:path'
import { PublishError } from './errors.js'
import type { Options } from './inputs.js'
import {
  parseManifestText,
  readDirectoryManifest,
  validateManifest,
  type Manifest
} from './manifest.js'
import type { NpmInstall } from './npm-install.js'
import { chooseRegistry, checkScopeRegistries, type RegistryChoice } from './registry-target.js'
import { npmTar, privateCopy, readTarball, type TarballDigest } from './tarball.js'
import {
  findEnclosingWorkspace,
  isWorkspaceRoot,
  loadWorkspace,
  needsWorkspace,
  publishOrder,
  rewritesFor,
  workspaceDependencies,
  type Member,
  type Rewrite,
  type Workspace
} from './workspace.js'

/** One package this run publishes, read and checked. */
export interface PackageTarget {
  manifest: Manifest
  kind: 'directory' | 'tarball'
  /** The package directory (kind `directory`). */
  dir?: string
  /** The .tgz to publish: the private copy of the input (kind `tarball`). */
  file?: string
  /** How the summary names its place: `packages/core`, `dist/pkg-1.0.0.tgz`. */
  where: string
  /** A .tgz's digest, read from the private copy. */
  digest?: TarballDigest
  /** `workspace:` / `catalog:` specs rewritten in what npm packs. */
  rewrites: Rewrite[]
  /** Names of the packages of this run it must be published after. */
  dependsOn: string[]
}

export interface Target {
  /** In publish order. */
  packages: PackageTarget[]
  /** Workspace packages not published, and why (private). */
  skipped: { name: string; version: string; where: string; reason: string }[]
  workspace?: Workspace
  registry: RegistryChoice
}

/**
 * What this run publishes, and where the token goes. A .tgz is copied into the private dir first
 * and read from the copy (npm reads a tarball several times; the copy cannot change under it).
 */
export async function loadTarget(
  options: Options,
  install: NpmInstall,
  privateDir?: string
): Promise<Target> {
  if (options.packageKind === 'tarball') return loadTarball(options, install, privateDir)
  if (options.workspaces) return loadWorkspaceTarget(options)
  return loadDirectory(options)
}

async function loadTarball(
  options: Options,
  install: NpmInstall,
  privateDir?: string
): Promise<Target> {
  if (!privateDir) throw new Error('a .tgz is read from its private copy')
  const where = displayPath(options.packagePath)
  const file = privateCopy(options.packagePath, privateDir)
  const read = await readTarball(file, npmTar(install))
  const manifest = validateManifest(
    parseManifestText(read.manifestText, `${where} (package/package.json)`),
    `${where} (package/package.json)`
  )
  refusePrivate(manifest, where)
  const registry = chooseRegistry(options.registry, 'tarball', [
    { name: manifest.name, where, registry: manifest.publishConfig.registry }
  ])
  checkScopeRegistries(
    [{ name: manifest.name, where, scopeRegistries: manifest.publishConfig.scopeRegistries }],
    registry.url
  )
  refuseWorkspaceSpecs(manifest, where)
  return {
    packages: [
      {
        manifest,
        kind: 'tarball',
        file,
        where,
        digest: { integrity: read.integrity, shasum: read.shasum },
        rewrites: [],
        dependsOn: []
      }
    ],
    skipped: [],
    registry
  }
}

async function loadDirectory(options: Options): Promise<Target> {
  const dir = options.packagePath
  const where = displayPath(dir)
  let manifest: Manifest
  try {
    manifest = readDirectoryManifest(dir)
    if (manifest.private && isWorkspaceRoot(dir))
      throw new PublishError('PACKAGE_INVALID', 'it is marked "private": true')
  } catch (error) {
    if (error instanceof PublishError && isWorkspaceRoot(dir)) {
      throw new PublishError(
        'PACKAGE_INVALID',
        `\`package\` (${where}) is a workspace root, not a package to publish: ${error.message}`,
        'Set `workspaces: true` to publish every public package of the workspace in dependency order, or point `package` at one of its packages.'
      )
    }
    throw error
  }
  refusePrivate(manifest, where)
  let rewrites: Rewrite[] = []
  if (needsWorkspace(manifest)) {
    const workspace = await findEnclosingWorkspace(dir)
    if (!workspace) {
      throw new PublishError(
        'PACKAGE_INVALID',
        `${where} has workspace: or catalog: dependencies, which npm would publish verbatim (nobody could install them), and no workspace above it holds it`,
        'Publish it from its workspace (point `package` at the root with `workspaces: true`), or replace those ranges with versions.'
      )
    }
    const member = workspace.members.find(
      (m) => path.resolve(m.dir) === path.resolve(dir)
    ) as Member
    rewrites = rewritesFor({ ...member, manifest }, workspace, privateNames(workspace))
  }
  const registry = chooseRegistry(options.registry, 'directory', [
    {
      name: manifest.name,
      where: where === '.' ? 'package.json' : `${where}/package.json`,
      registry: manifest.publishConfig.registry
    }
  ])
  checkScopeRegistries(
    [{ name: manifest.name, where, scopeRegistries: manifest.publishConfig.scopeRegistries }],
    registry.url
  )
  return {
    packages: [{ manifest, kind: 'directory', dir, where, rewrites, dependsOn: [] }],
    skipped: [],
    registry
  }
}

async function loadWorkspaceTarget(options: Options): Promise<Target> {
  const root = options.packagePath
  if (!isWorkspaceRoot(root)) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `${displayPath(root)} is not a workspace root (no "workspaces" in package.json, no pnpm-workspace.yaml)`,
      'Point `package` at the workspace root, or set `workspaces: false` to publish this one package.'
    )
  }
  const workspace = await loadWorkspace(root)
  const names = privateNames(workspace)
  const publishable = workspace.members.filter((m) => !m.manifest.private)
  const skipped = workspace.members
    .filter((m) => m.manifest.private)
    .map((m) => ({
      name: m.manifest.name,
      version: m.manifest.version,
      where: m.path,
      reason: 'private'
    }))
  if (publishable.length === 0) {
    throw new PublishError(
      'PACKAGE_INVALID',
      `The workspace at ${displayPath(root)} has no public packages to publish`
    )
  }
  const ordered = publishOrder(publishable)
  const packages = ordered.map((member) => ({
    manifest: member.manifest,
    kind: 'directory' as const,
    dir: member.dir,
    where: member.path,
    rewrites: rewritesFor(member, workspace, names),
    dependsOn: workspaceDependencies(member, publishable)
  }))
  const registry = chooseRegistry(
    options.registry,
    'directory',
    packages.map((p) => ({
      name: p.manifest.name,
      where: `${p.where}/package.json`,
      registry: p.manifest.publishConfig.registry
    }))
  )
  checkScopeRegistries(
    packages.map((p) => ({
      name: p.manifest.name,
      where: `${p.where}/package.json`,
      scopeRegistries: p.manifest.publishConfig.scopeRegistries
    })),
    registry.url
  )
  for (const skip of skipped)
    core.info(`Skipping ${skip.name}@${skip.version} (${skip.where}): private.`)
  return { packages, skipped, workspace, registry }
}

function privateNames(workspace: Workspace): Set<string> {
  return new Set(workspace.members.filter((m) => m.manifest.private).map((m) => m.manifest.name))
}

function refusePrivate(manifest: Manifest, where: string): void {
  if (!manifest.private) return
  throw new PublishError(
    'PACKAGE_INVALID',
    `${manifest.name} is marked "private": true in ${where}, so npm refuses to publish it`,
    'Remove "private": true to publish it. To skip it instead, leave it out of this step (an `if:` on the step), or publish its workspace with `workspaces: true`, which skips private packages.'
  )
}

/** A .tgz is published as it is: workspace ranges in it cannot be fixed here any more. */
function refuseWorkspaceSpecs(manifest: Manifest, where: string): void {
  if (!needsWorkspace(manifest)) return
  throw new PublishError(
    'PACKAGE_INVALID',
    `${where} holds workspace: or catalog: dependencies, which npm would publish verbatim (nobody could install them)`,
    'Pack it with `pnpm pack` or `yarn pack` (which rewrite them), or publish the package directory with this action.'
  )
}

/** A path as the summary shows it: relative to the workspace when inside it. */
export function displayPath(file: string): string {
  const base = process.env['GITHUB_WORKSPACE'] || process.cwd()
  const relative = path.relative(base, file)
  if (relative === '') return '.'
  return !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : file
}
