/**
 * Workspace discovery, publish order and the manifest rewrites. The discovery tables were recorded
 * on a real tree with @npmcli/map-workspaces 5.0.3 (npm 11.19.1's copy) and with pnpm 10.34.9
 * (`pnpm ls -r --depth -1`); the rewrite table is pnpm's packed output from
 * /work/probes/workspaces.md §2 (pnpm 10 and 12 agree), with the action's own additions marked.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PublishError } from '../src/errors.js'
import { validateManifest } from '../src/manifest.js'
import {
  applyRewrites,
  findEnclosingWorkspace,
  isWorkspaceRoot,
  loadWorkspace,
  needsWorkspace,
  publishOrder,
  rewritesFor,
  workspaceDependencies,
  type Member,
  type Workspace
} from '../src/workspace.js'

const roots: string[] = []
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true })
})

/** A temp tree: `files` maps a relative path to a package.json object or raw text. */
function tree(files: Record<string, unknown>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-ws-'))
  roots.push(root)
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(root, file)
    fs.mkdirSync(path.dirname(full), { recursive: true })
    fs.writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content))
  }
  return root
}

const pkg = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  version: '1.0.0',
  ...extra
})

/** The discovery tree both tools were run on (names are the paths, `/` → `-`). */
function discoveryTree(root: Record<string, unknown>): string {
  const files: Record<string, unknown> = { 'package.json': root }
  for (const dir of [
    'packages/a',
    'packages/b',
    'packages/b/sub',
    'packages/b/sub/deep',
    'packages/c',
    'packages/.dot',
    'packages/a/node_modules/x',
    'packages/node_modules',
    'packages/bower_components/q',
    'packages/bower_components'
  ]) {
    files[`${dir}/package.json`] = pkg(dir.replaceAll('/', '-'))
  }
  files['packages/nopkg/README.md'] = 'no package.json here'
  return tree(files)
}

async function paths(root: string): Promise<string[]> {
  return (await loadWorkspace(root)).members.map((m) => m.path)
}

async function failure(promise: Promise<unknown>): Promise<PublishError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof PublishError) return error
    throw error
  }
  throw new Error('expected a PublishError')
}

describe('loadWorkspace: npm / yarn `workspaces`', () => {
  it('reads the array form and the {packages} form alike, each match sorted, the private root left out', async () => {
    const array = discoveryTree({ name: 'root', private: true, workspaces: ['packages/*'] })
    const object = discoveryTree({
      name: 'root',
      private: true,
      workspaces: { packages: ['packages/*'] }
    })
    // map-workspaces: no .dot, no nopkg, not packages/node_modules (bower_components is npm's).
    const expected = ['packages/a', 'packages/b', 'packages/bower_components', 'packages/c']
    expect(await paths(array)).toEqual(expected)
    expect(await paths(object)).toEqual(expected)
    const workspace = await loadWorkspace(array)
    expect(workspace.tool).toBe('npm')
    expect(workspace.members[0].manifest.name).toBe('packages-a')
    expect(workspace.members[0].dir).toBe(path.join(array, 'packages/a'))
  })

  it('goes deep with `packages/**`, skipping node_modules and directories without a package.json (bower_components is npm’s to list)', async () => {
    const root = discoveryTree({ private: true, workspaces: ['packages/**'] })
    expect(await paths(root)).toEqual([
      'packages/a',
      'packages/b',
      'packages/b/sub',
      'packages/b/sub/deep',
      'packages/bower_components',
      'packages/bower_components/q',
      'packages/c'
    ])
  })

  it('matches a dot directory only when the pattern names dots, as npm does', async () => {
    const root = discoveryTree({ private: true, workspaces: ['packages/.*'] })
    expect(await paths(root)).toEqual(['packages/.dot'])
  })

  // map-workspaces 5.0.3 on the same tree (recorded); `!!` is a positive pattern.
  it.each([
    [
      ['packages/**', '!packages/b'],
      ['a', 'b/sub', 'b/sub/deep', 'c']
    ],
    [
      ['packages/**', '!packages/b/**'],
      ['a', 'c']
    ],
    [
      ['packages/**', '!packages/b/**', 'packages/b/sub'],
      ['a', 'b', 'b/sub', 'b/sub/deep', 'c']
    ],
    [
      ['!packages/a', 'packages/*'],
      ['b', 'c']
    ],
    [
      ['packages/*', '!packages/a'],
      ['b', 'c']
    ],
    [
      ['packages/**', '!packages/b/*'],
      ['a', 'b', 'b/sub/deep', 'c']
    ],
    [
      ['packages/**', '!**/sub'],
      ['a', 'b', 'b/sub/deep', 'c']
    ],
    [
      ['packages/**', '!packages/*', 'packages/b'],
      ['a', 'b', 'b/sub', 'b/sub/deep', 'c']
    ],
    [
      ['packages/*', '!!packages/a'],
      ['a', 'b', 'c']
    ],
    [
      ['./packages/*', '!/packages/b'],
      ['a', 'c']
    ]
  ])('npm order rule: %j → %j', async (patterns, expected) => {
    const root = discoveryTree({ private: true, workspaces: patterns })
    const found = (await paths(root)).map((p) => p.replace('packages/', ''))
    expect(found.filter((p) => !p.startsWith('bower_components'))).toEqual(expected)
  })

  it('keeps the pattern groups in order (npm lists `packages/z` before the sorted rest)', async () => {
    const root = tree({
      'package.json': { private: true, workspaces: ['packages/z', 'packages/*'] },
      'packages/z/package.json': pkg('z'),
      'packages/a/package.json': pkg('a'),
      'packages/m/package.json': pkg('m')
    })
    expect(await paths(root)).toEqual(['packages/z', 'packages/a', 'packages/m'])
  })

  it('includes the root only when it is a public package with a name and a version', async () => {
    const members = { 'packages/a/package.json': pkg('a') }
    const publicRoot = tree({
      'package.json': pkg('root', { workspaces: ['packages/*'] }),
      ...members
    })
    const privateRoot = tree({
      'package.json': pkg('root', { private: true, workspaces: ['packages/*'] }),
      ...members
    })
    const unversioned = tree({
      'package.json': { name: 'root', workspaces: ['packages/*'] },
      ...members
    })
    expect(await paths(publicRoot)).toEqual(['.', 'packages/a'])
    expect(await paths(privateRoot)).toEqual(['packages/a'])
    expect(await paths(unversioned)).toEqual(['packages/a'])
  })

  it('refuses two packages of the same name, naming both paths', async () => {
    const root = tree({
      'package.json': { private: true, workspaces: ['dup/*'] },
      'dup/one/package.json': pkg('same'),
      'dup/two/package.json': pkg('same')
    })
    const error = await failure(loadWorkspace(root))
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toContain('Two workspace packages are named same: dup/one and dup/two')
  })

  it('refuses a `workspaces` that is not a list of globs', async () => {
    for (const workspaces of [true, 'packages/*', { packages: 'packages/*' }, [1]]) {
      const root = tree({ 'package.json': { private: true, workspaces } })
      expect((await failure(loadWorkspace(root))).code).toBe('PACKAGE_INVALID')
    }
  })

  it('reports a member whose package.json is broken', async () => {
    const root = tree({
      'package.json': { private: true, workspaces: ['packages/*'] },
      'packages/a/package.json': '{"name": "a",'
    })
    const error = await failure(loadWorkspace(root))
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toContain('is not valid JSON')
  })
})

describe('loadWorkspace: pnpm-workspace.yaml', () => {
  const yaml = (patterns: string[]): string =>
    `packages:\n${patterns.map((p) => `  - "${p}"\n`).join('')}`

  // pnpm 10.34.9 on the same tree (recorded; the private root it also lists left out).
  it.each([
    [
      ['packages/**', '!packages/b'],
      ['a', 'b/sub', 'b/sub/deep', 'c']
    ],
    [
      ['packages/**', '!packages/b/**'],
      ['a', 'c']
    ],
    // Unlike npm, a later positive pattern does not lift the negation.
    [
      ['packages/**', '!packages/b/**', 'packages/b/sub'],
      ['a', 'c']
    ],
    [
      ['!packages/a', 'packages/*'],
      ['b', 'c']
    ],
    [
      ['packages/**', '!packages/*', 'packages/b'],
      ['b/sub', 'b/sub/deep']
    ],
    [
      ['packages/*', '!!packages/a'],
      ['a', 'b', 'c']
    ]
  ])('negations anywhere: %j → %j (bower_components ignored)', async (patterns, expected) => {
    const root = discoveryTree({ name: 'root', private: true })
    fs.writeFileSync(path.join(root, 'pnpm-workspace.yaml'), yaml(patterns))
    const workspace = await loadWorkspace(root)
    expect(workspace.tool).toBe('pnpm')
    expect(workspace.members.map((m) => m.path.replace('packages/', ''))).toEqual(expected)
  })

  it('sorts all matches by code point, as pnpm does (`Z` before `a`)', async () => {
    const root = tree({
      'pnpm-workspace.yaml': yaml(['packages/z', 'packages/*']),
      'packages/z/package.json': pkg('z'),
      'packages/a/package.json': pkg('a'),
      'packages/Z2/package.json': pkg('Z2')
    })
    expect(await paths(root)).toEqual(['packages/Z2', 'packages/a', 'packages/z'])
  })

  it('with no `packages` (or an empty list) is the root alone: a public root, or nothing', async () => {
    const members = { 'packages/a/package.json': pkg('a') }
    const publicRoot = tree({
      'pnpm-workspace.yaml': 'catalog:\n  is-number: ^7.0.0\n',
      'package.json': pkg('root'),
      ...members
    })
    const privateRoot = tree({
      'pnpm-workspace.yaml': 'packages: []\n',
      'package.json': pkg('root', { private: true }),
      ...members
    })
    expect(await paths(publicRoot)).toEqual(['.'])
    expect(await paths(privateRoot)).toEqual([])
  })

  it('ignores node_modules and bower_components, skips directories without a package.json', async () => {
    const root = discoveryTree({ private: true })
    fs.writeFileSync(path.join(root, 'pnpm-workspace.yaml'), yaml(['packages/**']))
    expect(await paths(root)).toEqual([
      'packages/a',
      'packages/b',
      'packages/b/sub',
      'packages/b/sub/deep',
      'packages/c'
    ])
  })

  it('reads the default catalog and the named ones', async () => {
    const root = tree({
      'pnpm-workspace.yaml':
        'packages:\n  - packages/*\ncatalog:\n  is-number: ^7.0.0\ncatalogs:\n  react18:\n    react: ^18.3.1\n',
      'packages/a/package.json': pkg('a')
    })
    expect((await loadWorkspace(root)).catalogs).toEqual({
      default: { 'is-number': '^7.0.0' },
      react18: { react: '^18.3.1' }
    })
  })

  it('refuses what pnpm refuses: a default catalog defined twice, `packages` not a list of globs, broken YAML', async () => {
    for (const text of [
      'catalog:\n  a: ^1.0.0\ncatalogs:\n  default:\n    a: ^2.0.0\n',
      'packages: packages/*\n',
      'packages:\n  - ""\n',
      'packages: [\n'
    ]) {
      const root = tree({ 'pnpm-workspace.yaml': text, 'package.json': pkg('root') })
      expect((await failure(loadWorkspace(root))).code).toBe('PACKAGE_INVALID')
    }
  })
})

describe('isWorkspaceRoot / findEnclosingWorkspace', () => {
  it('finds the workspace above a member, and none for a directory its globs do not cover', async () => {
    const root = tree({
      'package.json': { private: true, workspaces: ['packages/*'] },
      'packages/a/package.json': pkg('a'),
      'tools/t/package.json': pkg('t')
    })
    expect(isWorkspaceRoot(root)).toBe(true)
    expect(isWorkspaceRoot(path.join(root, 'packages/a'))).toBe(false)
    const found = await findEnclosingWorkspace(path.join(root, 'packages/a'))
    expect(found?.root).toBe(root)
    expect(await findEnclosingWorkspace(path.join(root, 'tools/t'))).toBeUndefined()
  })

  it('walks past a workspace that does not hold the package to one that does', async () => {
    const root = tree({
      'package.json': { private: true, workspaces: ['outer/*/packages/*'] },
      'outer/inner/package.json': { private: true, workspaces: ['other/*'] },
      'outer/inner/packages/a/package.json': pkg('a')
    })
    const found = await findEnclosingWorkspace(path.join(root, 'outer/inner/packages/a'))
    expect(found?.root).toBe(root)
  })
})

/** An in-memory member at /ws/<where>. */
function member(
  name: string,
  version: string,
  deps: Record<string, unknown> = {},
  where = `packages/${name.replace(/^@[^/]+\//, '')}`,
  extra: Record<string, unknown> = {}
): Member {
  return {
    dir: path.join('/ws', where),
    path: where,
    manifest: validateManifest({ name, version, ...deps, ...extra }, `${where}/package.json`)
  }
}

const names = (members: Member[]): string[] => members.map((m) => m.manifest.name)

function thrown(fn: () => unknown): PublishError {
  try {
    fn()
  } catch (error) {
    if (error instanceof PublishError) return error
    throw error
  }
  throw new Error('expected a PublishError')
}

describe('publishOrder', () => {
  it('puts every package after its dependencies, optional and peer dependencies', () => {
    const members = [
      member('app', '1.0.0', { dependencies: { lib: 'workspace:^' } }),
      member('lib', '1.0.0', { optionalDependencies: { opt: 'workspace:*' } }),
      member('opt', '1.0.0', { peerDependencies: { core: 'workspace:~' } }),
      member('core', '1.0.0')
    ]
    expect(names(publishOrder(members))).toEqual(['core', 'opt', 'lib', 'app'])
  })

  it('does not order by devDependencies (a dev-only cycle is fine)', () => {
    const members = [
      member('a', '1.0.0', { devDependencies: { b: 'workspace:*' } }),
      member('b', '1.0.0', { devDependencies: { a: 'workspace:*' } })
    ]
    expect(names(publishOrder(members))).toEqual(['a', 'b'])
  })

  it('counts a plain range only when the member’s version satisfies it', () => {
    const satisfied = [
      member('a', '1.0.0', { dependencies: { b: '^1.0.0' } }),
      member('b', '1.2.0')
    ]
    const unsatisfied = [
      member('a', '1.0.0', { dependencies: { b: '^2.0.0' } }),
      member('b', '1.2.0')
    ]
    expect(names(publishOrder(satisfied))).toEqual(['b', 'a'])
    expect(names(publishOrder(unsatisfied))).toEqual(['a', 'b'])
    expect(workspaceDependencies(unsatisfied[0], unsatisfied)).toEqual([])
    // file: / link: to a member and an alias order too.
    const local = [
      member('a', '1.0.0', { dependencies: { bee: 'file:../b', al: 'workspace:c@^' } }),
      member('b', '1.0.0'),
      member('c', '1.0.0')
    ]
    expect(workspaceDependencies(local[0], local).sort()).toEqual(['b', 'c'])
  })

  it('refuses a cycle, naming it `a → b → a`', () => {
    const members = [
      member('a', '1.0.0', { dependencies: { b: 'workspace:*' } }),
      member('b', '1.0.0', { peerDependencies: { a: 'workspace:^' } })
    ]
    const error = thrown(() => publishOrder(members))
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toContain('a → b → a')
  })

  it('names only the cycle, not what depends on it', () => {
    const members = [
      member('top', '1.0.0', { dependencies: { x: 'workspace:*' } }),
      member('free', '1.0.0'),
      member('x', '1.0.0', { dependencies: { y: 'workspace:*' } }),
      member('y', '1.0.0', { dependencies: { z: 'workspace:*' } }),
      member('z', '1.0.0', { dependencies: { x: 'workspace:*' } })
    ]
    const error = thrown(() => publishOrder(members))
    expect(error.message).toMatch(/: x → y → z → x$/)
  })
})

describe('rewritesFor', () => {
  const target = (name: string, version = '1.5.0', where?: string): Member =>
    member(name, version, {}, where)
  const catalogs: Workspace['catalogs'] = {
    default: { 'is-number': '^7.0.0' },
    react18: { react: '^18.3.1' }
  }

  /** The one rewrite of `consumer`'s `field.name = spec`, or undefined when it is left alone. */
  function rewrite(
    name: string,
    spec: string,
    field = 'dependencies',
    others: Member[] = [],
    privates: string[] = []
  ): string | undefined {
    const members = [
      target('@s/t'),
      target('@s/pre', '2.0.0-beta.1'),
      target('t6', '1.5.0', 'packages/t6'),
      target('@s/t7'),
      target('@s/t8'),
      ...others
    ]
    const consumer = member('@s/consumer', '1.0.0', { [field]: { [name]: spec } })
    const rewrites = rewritesFor(
      consumer,
      { members: [consumer, ...members], catalogs },
      new Set(privates)
    )
    expect(rewrites.length).toBeLessThanOrEqual(1)
    if (rewrites[0]) expect(rewrites[0]).toMatchObject({ field, name, from: spec })
    return rewrites[0]?.to
  }

  // pnpm packed (probe §2): the consumer's spec → what the published manifest holds.
  it.each([
    ['@s/t', 'workspace:*', '1.5.0'],
    ['@s/t', 'workspace:^', '^1.5.0'],
    ['@s/t', 'workspace:~', '~1.5.0'],
    ['@s/pre', 'workspace:^', '^2.0.0-beta.1'],
    ['@s/t', 'workspace:1.5.0', '1.5.0'],
    ['@s/t', 'workspace:^1.0.0', '^1.0.0'],
    ['@s/t', 'workspace:>=1.0.0 <2.0.0', '>=1.0.0 <2.0.0'],
    ['@s/t', 'workspace:1.x', '1.x'],
    ['t6', 'workspace:../t6', '1.5.0'],
    ['al7', 'workspace:@s/t7@*', 'npm:@s/t7@1.5.0'],
    ['al8', 'workspace:@s/t8@^', 'npm:@s/t8@^1.5.0'],
    ['@s/t', 'workspace:@s/t@~', '~1.5.0'],
    ['al', 'workspace:@s/t@^1.0.0', 'npm:@s/t@^1.0.0'],
    ['is-number', 'catalog:', '^7.0.0'],
    ['is-number', 'catalog:default', '^7.0.0'],
    ['react', 'catalog:react18', '^18.3.1'],
    ['react', 'catalog: react18 ', '^18.3.1']
  ])('%s: "%s" → "%s" (as pnpm packs it)', (name, spec, expected) => {
    expect(rewrite(name, spec)).toBe(expected)
  })

  it.each([
    // pnpm names the real package when a path points at it under another name.
    ['alias6', 'workspace:../t6', 'npm:t6@1.5.0'],
    // pnpm leaves file:/link: verbatim (an uninstallable manifest): the action publishes the version.
    ['t6', 'link:../t6', '1.5.0'],
    ['t6', 'file:../t6', '1.5.0'],
    ['other', 'file:../t6', 'npm:t6@1.5.0'],
    // pnpm's peer rule, applied in every field: the operator takes the version.
    ['@s/t', 'workspace:>=', '>=1.5.0'],
    ['@s/t', '^1.0.0 || workspace:^', '^1.0.0 || ^1.5.0']
  ])('%s: "%s" → "%s" (the action’s rule)', (name, spec, expected) => {
    expect(rewrite(name, spec)).toBe(expected)
  })

  it('rewrites peer, optional and dev dependencies as well', () => {
    expect(rewrite('@s/t', 'workspace:^', 'peerDependencies')).toBe('^1.5.0')
    expect(rewrite('@s/t', '^1.0.0 || workspace:~', 'peerDependencies')).toBe('^1.0.0 || ~1.5.0')
    expect(rewrite('@s/t', 'workspace:*', 'optionalDependencies')).toBe('1.5.0')
    expect(rewrite('@s/t', 'workspace:~', 'devDependencies')).toBe('~1.5.0')
  })

  it('leaves registry ranges and file: specs outside the workspace alone', () => {
    expect(rewrite('left-pad', '^1.3.0')).toBeUndefined()
    expect(rewrite('vendored', 'file:../../vendor/x')).toBeUndefined()
    expect(rewrite('linked', 'link:/opt/x')).toBeUndefined()
    expect(rewrite('aliased', 'npm:left-pad@^1.3.0')).toBeUndefined()
  })

  it('refuses a workspace: spec that points at no member', () => {
    for (const [name, spec] of [
      ['@s/missing', 'workspace:*'],
      ['al', 'workspace:@s/missing@^'],
      ['x', 'workspace:../nowhere'],
      ['@s/missing', '^1.0.0 || workspace:^']
    ]) {
      const error = thrown(() => rewrite(name, spec))
      expect(error.code).toBe('PACKAGE_INVALID')
      expect(error.message).toContain(`dependencies.${name} is "${spec}"`)
      expect(error.message).toContain('the workspace has no such package')
    }
  })

  it('refuses a private target outside devDependencies, allows it as a devDependency', () => {
    const secret = target('@s/secret')
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      const error = thrown(() =>
        rewrite('@s/secret', 'workspace:*', field, [secret], ['@s/secret'])
      )
      expect(error.code).toBe('PACKAGE_INVALID')
      expect(error.message).toContain('the private workspace package @s/secret')
    }
    expect(rewrite('@s/secret', 'workspace:*', 'devDependencies', [secret], ['@s/secret'])).toBe(
      '1.5.0'
    )
  })

  it('refuses what pnpm’s catalogs refuse: no entry, or an entry using a local protocol', () => {
    expect(thrown(() => rewrite('absent', 'catalog:')).message).toContain(
      'catalog "default" has no absent'
    )
    expect(thrown(() => rewrite('react', 'catalog:nope')).code).toBe('PACKAGE_INVALID')
    const bad = member('@s/c', '1.0.0', { dependencies: { w: 'catalog:', f: 'catalog:' } })
    const error = thrown(() =>
      rewritesFor(
        bad,
        { members: [bad], catalogs: { default: { w: 'workspace:*', f: 'file:../f' } } },
        new Set()
      )
    )
    expect(error.message).toMatch(/^2 problems: /)
    expect(error.message).toContain('which pnpm refuses in a catalog')
  })

  it('reports every bad spec of a package together', () => {
    const consumer = member('@s/consumer', '1.0.0', {
      dependencies: { '@s/gone': 'workspace:*' },
      devDependencies: { absent: 'catalog:' }
    })
    const error = thrown(() => rewritesFor(consumer, { members: [consumer], catalogs }, new Set()))
    expect(error.message).toMatch(/^2 problems: \(1\) .*@s\/gone.* \(2\) .*absent/)
  })

  it('reads a real pnpm workspace: catalogs and member versions from disk', async () => {
    const root = tree({
      'pnpm-workspace.yaml':
        'packages:\n  - packages/*\ncatalog:\n  is-number: ^7.0.0\ncatalogs:\n  old:\n    is-number: ^6.0.0\n',
      'packages/a/package.json': pkg('@w/a', { version: '2.3.4' }),
      'packages/b/package.json': pkg('@w/b', {
        dependencies: { '@w/a': 'workspace:^', 'is-number': 'catalog:' },
        devDependencies: { 'is-number': 'catalog:old' }
      })
    })
    const workspace = await loadWorkspace(root)
    const b = workspace.members.find((m) => m.manifest.name === '@w/b') as Member
    expect(rewritesFor(b, workspace, new Set())).toEqual([
      { field: 'dependencies', name: '@w/a', from: 'workspace:^', to: '^2.3.4' },
      { field: 'dependencies', name: 'is-number', from: 'catalog:', to: '^7.0.0' },
      { field: 'devDependencies', name: 'is-number', from: 'catalog:old', to: '^6.0.0' }
    ])
  })
})

describe('applyRewrites', () => {
  it('changes only the rewritten ranges: other fields, their order and the input stay as they were', () => {
    const raw = {
      name: '@s/b',
      version: '1.0.0',
      description: 'keeps me',
      dependencies: { '@s/a': 'workspace:^', 'left-pad': '^1.3.0' },
      scripts: { build: 'tsc' },
      devDependencies: { '@s/a': 'workspace:*' }
    }
    const before = structuredClone(raw)
    const out = applyRewrites(raw, [
      { field: 'dependencies', name: '@s/a', from: 'workspace:^', to: '^1.5.0' },
      { field: 'devDependencies', name: '@s/a', from: 'workspace:*', to: '1.5.0' }
    ])
    expect(out).toEqual({
      ...before,
      dependencies: { '@s/a': '^1.5.0', 'left-pad': '^1.3.0' },
      devDependencies: { '@s/a': '1.5.0' }
    })
    expect(Object.keys(out)).toEqual(Object.keys(before))
    expect(raw).toEqual(before)
  })
})

describe('needsWorkspace', () => {
  const manifest = (deps: Record<string, string>, field = 'dependencies') =>
    validateManifest({ name: 'x', version: '1.0.0', [field]: deps }, 'x/package.json')

  it('is true for workspace: and catalog: specs in any dependency field, also inside a range', () => {
    expect(needsWorkspace(manifest({ a: 'workspace:*' }))).toBe(true)
    expect(needsWorkspace(manifest({ a: 'catalog:' }, 'devDependencies'))).toBe(true)
    expect(needsWorkspace(manifest({ a: '^1.0.0 || workspace:^' }, 'peerDependencies'))).toBe(true)
  })

  it('is false for registry ranges, aliases and local paths', () => {
    expect(needsWorkspace(manifest({ a: '^1.0.0', b: 'npm:c@^2', d: 'file:../d' }))).toBe(false)
    expect(needsWorkspace(manifest({}))).toBe(false)
  })
})
