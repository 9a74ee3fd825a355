// Types for runner.mjs, for the TypeScript tests that import it.
import type { ChildProcess } from 'node:child_process'

export declare const ROOT: string
export declare const ACTION: string

export interface Sandbox {
  root: string
  runnerTemp: string
  home: string
  workspace: string
}

export interface StepResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
  /** performance.timeOrigin-based instants of the spawn and of the close, for timing studies. */
  spawnedAt: number
  closedAt: number
}

export interface RunFiles {
  output: string
  state: string
  env: string
  path: string
  summary: string
}

export interface RunResult {
  main: StepResult
  post?: StepResult
  state: Record<string, string>
  outputs: Record<string, string>
  summary: string
  files: RunFiles
  sandbox: Sandbox
}

export interface RunOptions {
  inputs: Record<string, string | undefined>
  sandbox?: Sandbox
  env?: Record<string, string>
  onMainStart?: (child: ChildProcess) => void
  skipPost?: boolean
}

export declare function actionManifest(): {
  inputs: Record<string, { description?: string; default?: unknown; required?: boolean }>
  outputs: Record<string, { description?: string }>
  runs: Record<string, string>
  [key: string]: unknown
}
export declare function makeSandbox(prefix?: string): Sandbox
export declare function removeSandboxes(): void
export declare function parseCommandFile(file: string): Record<string, string>
export declare function runStep(
  env: Record<string, string | undefined>,
  cwd: string,
  onStart?: (child: ChildProcess) => void,
  file?: string
): Promise<StepResult>
export declare function runAction(options: RunOptions): Promise<RunResult>
export declare function writePackage(
  dir: string,
  manifest: Record<string, unknown>,
  files?: Record<string, string>
): string
