// Types for verdaccio.mjs, for the TypeScript tests that import it.
import type { ChildProcess } from 'node:child_process'

export interface Packument {
  name: string
  'dist-tags': Record<string, string>
  versions: Record<string, { dist: { integrity: string; shasum: string; tarball: string } }>
  [key: string]: unknown
}

export declare class Verdaccio {
  readonly child: ChildProcess
  readonly port: number
  readonly url: string
  stop(): Promise<void>
  api(
    method: string,
    route: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> }
  ): Promise<{ status: number; body: unknown }>
  createUser(name: string, password: string): Promise<string>
  createToken(
    loginToken: string,
    password: string,
    options?: { readonly?: boolean; cidr?: string[] }
  ): Promise<{ token: string; key: string }>
  deleteToken(loginToken: string, key: string): Promise<void>
  packument(name: string): Promise<Packument | undefined>
}

export declare function startVerdaccio(extraConfig?: Record<string, unknown>): Promise<Verdaccio>
