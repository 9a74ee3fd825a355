import type { PublishError } from './errors.js'
import type { Check } from './token-check.js'

/** What happened to one package. */
export type PackageStatus =
  /** Not reached yet (the run stopped before its turn). */
  | 'pending'
  | 'published'
  | 'staged'
  /** Already published with the same content; nothing uploaded. */
  | 'unchanged'
  /** Already published with the same content; its dist-tag was moved to it. */
  | 'tag-moved'
  /** Not published on purpose (private, `strategy: upgrade`, a workspace rerun). */
  | 'skipped'
  | 'dry-run'
  /** validate-only: it would be published (or moved), nothing was sent. */
  | 'validated'
  | 'failed'
  /** Not tried: a package it depends on failed. */
  | 'held-back'

export interface PackageOutcome {
  name: string
  version: string
  /** Where it was read from (a directory relative to the workspace, or the .tgz). */
  where: string
  status: PackageStatus
  /** The dist-tag used (set once the plan ran). */
  tag: string
  /** The tag's version before this run; `type` how ours relates to it (both only from the plan). */
  oldVersion: string
  type: string
  access: string
  integrity: string
  shasum: string
  tagMoved: boolean
  stageId: string
  /** One sentence: what happened and why. */
  reason: string
  error?: PublishError
}

/** Where the run stopped, for the summary's heading. */
export type Stage =
  | 'inputs'
  | 'runner'
  | 'package'
  | 'token'
  | 'registry'
  | 'plan'
  | 'scripts'
  | 'publish'
  | 'cancelled'

export interface RunOutcome {
  registry: string
  /** Where the registry came from (input, publishConfig, npm's default). */
  registrySource: string
  dryRun: boolean
  validateOnly: boolean
  /** `workspaces: true`: the root and the tool that laid it out. */
  workspace?: { root: string; tool: string }
  authPath: '' | 'token' | 'oidc' | 'stage'
  authReason: string
  tokenUser: string
  tokenCheck: 'passed' | 'warned' | 'skipped' | 'failed' | ''
  checks: Check[]
  packages: PackageOutcome[]
  /** The step's failure, and the stage it happened in. */
  error?: PublishError
  stage?: Stage
}

export function emptyRun(): RunOutcome {
  return {
    registry: '',
    registrySource: '',
    dryRun: false,
    validateOnly: false,
    authPath: '',
    authReason: '',
    tokenUser: '',
    tokenCheck: '',
    checks: [],
    packages: []
  }
}

export function newPackage(name: string, version: string, where: string): PackageOutcome {
  return {
    name,
    version,
    where,
    status: 'pending',
    tag: '',
    oldVersion: '',
    type: '',
    access: '',
    integrity: '',
    shasum: '',
    tagMoved: false,
    stageId: '',
    reason: ''
  }
}

/** A package counts as done for its dependents when it is on the registry as it should be. */
export function isSettled(status: PackageStatus): boolean {
  return [
    'published',
    'unchanged',
    'tag-moved',
    'skipped',
    'dry-run',
    'validated',
    'staged'
  ].includes(status)
}
