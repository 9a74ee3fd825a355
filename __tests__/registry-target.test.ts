import { describe, expect, it } from '@jest/globals'
import { PublishError } from '../src/errors.js'
import {
  NPMJS,
  checkScopeRegistries,
  chooseRegistry,
  type Declared
} from '../src/registry-target.js'
import { codeOf } from './helpers/code-of.js'

const PRIVATE = 'https://npm.corp.example/api/npm/'
const OTHER = 'https://other.example/'
const input = (href: string): URL => new URL(href)
const pkg = (name: string, registry?: string): Declared => ({
  name,
  where: `packages/${name}/package.json`,
  registry
})

function thrown(fn: () => unknown): PublishError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(PublishError)
    return error as PublishError
  }
  throw new Error('did not throw')
}

describe('chooseRegistry: directories', () => {
  it('takes the input when set, with no notes when the packages agree or say nothing', () => {
    const choice = chooseRegistry(input(PRIVATE), 'directory', [pkg('a'), pkg('b', PRIVATE)])
    expect(choice).toEqual({ url: new URL(PRIVATE), source: 'the `registry` input', notes: [] })
  })

  it('lets the input win over a package that names another registry, and notes it', () => {
    const choice = chooseRegistry(input(PRIVATE), 'directory', [pkg('a', OTHER), pkg('b')])
    expect(choice.url.href).toBe(PRIVATE)
    expect(choice.notes).toHaveLength(1)
    expect(choice.notes[0]).toContain('a names publishConfig.registry https://other.example/')
    expect(choice.notes[0]).toContain(PRIVATE)
  })

  it("uses the package's publishConfig.registry when the input is not set, saying where it came from", () => {
    const choice = chooseRegistry(undefined, 'directory', [
      pkg('a', 'https://npm.corp.example/api/npm')
    ])
    expect(choice.url.href).toBe(PRIVATE)
    expect(choice.source).toBe('publishConfig.registry of packages/a/package.json')
    expect(choice.notes).toEqual([])
  })

  it('uses a registry all packages of a workspace agree on (a trailing slash is no difference)', () => {
    const choice = chooseRegistry(undefined, 'directory', [
      pkg('a', PRIVATE),
      pkg('b', 'https://npm.corp.example/api/npm')
    ])
    expect(choice.url.href).toBe(PRIVATE)
    expect(choice.source).toBe('publishConfig.registry of all 2 packages')
  })

  it('refuses packages that name different registries when the input is not set, naming them', () => {
    const error = thrown(() =>
      chooseRegistry(undefined, 'directory', [pkg('a', PRIVATE), pkg('b', OTHER), pkg('c', OTHER)])
    )
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toContain(`a → ${PRIVATE}`)
    expect(error.message).toContain(`b, c → ${OTHER}`)
  })

  it('refuses a workspace where only some packages name a registry (the rest would go to npmjs)', () => {
    const error = thrown(() =>
      chooseRegistry(undefined, 'directory', [pkg('a', PRIVATE), pkg('b')])
    )
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toContain(`a → ${PRIVATE}`)
    expect(error.message).toContain(`b → ${NPMJS}`)
  })

  it('falls back to npmjs when nothing names a registry', () => {
    expect(chooseRegistry(undefined, 'directory', [pkg('a'), pkg('b')])).toEqual({
      url: new URL(NPMJS),
      source: "npm's default (the `registry` input is not set)",
      notes: []
    })
  })

  it('holds a package registry to the input rules (no plain http, no credentials)', () => {
    expect(
      codeOf(() => chooseRegistry(undefined, 'directory', [pkg('a', 'http://npm.corp.example/')]))
    ).toBe('REGISTRY_INSECURE')
    const error = thrown(() =>
      chooseRegistry(undefined, 'directory', [pkg('a', 'https://u:p@npm.corp.example/')])
    )
    expect(error.code).toBe('REGISTRY_INSECURE')
    expect(error.message).toContain('packages/a/package.json')
  })
})

describe('chooseRegistry: a tarball', () => {
  it('never chooses: npmjs when the input is not set', () => {
    expect(chooseRegistry(undefined, 'tarball', [pkg('t')]).url.href).toBe(NPMJS)
  })

  it('refuses a tarball whose publishConfig.registry differs from the default, naming both', () => {
    const error = thrown(() => chooseRegistry(undefined, 'tarball', [pkg('t', PRIVATE)]))
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toContain(PRIVATE)
    expect(error.message).toContain(NPMJS)
    expect(error.hint).toContain(`registry: ${PRIVATE}`)
  })

  it('refuses a tarball whose publishConfig.registry differs from the input, naming both', () => {
    const error = thrown(() => chooseRegistry(input(OTHER), 'tarball', [pkg('t', PRIVATE)]))
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message).toContain(PRIVATE)
    expect(error.message).toContain(`${OTHER} (the \`registry\` input)`)
  })

  it('accepts a tarball whose publishConfig.registry is the registry in use', () => {
    expect(chooseRegistry(input(PRIVATE), 'tarball', [pkg('t', PRIVATE)])).toEqual({
      url: new URL(PRIVATE),
      source: 'the `registry` input',
      notes: []
    })
    expect(
      chooseRegistry(undefined, 'tarball', [pkg('t', 'https://registry.npmjs.org')]).url.href
    ).toBe(NPMJS)
  })
})

describe('checkScopeRegistries', () => {
  const scoped = (scopeRegistries: Record<string, string>) => [
    { name: '@acme/tool', where: 'p/package.json', scopeRegistries }
  ]

  it("accepts a scope registry equal to the one in use (GitHub Packages' documented form)", () => {
    expect(() =>
      checkScopeRegistries(
        scoped({ '@acme': 'https://npm.pkg.github.com' }),
        new URL('https://npm.pkg.github.com/')
      )
    ).not.toThrow()
    expect(() => checkScopeRegistries(scoped({}), new URL(NPMJS))).not.toThrow()
  })

  it('refuses a scope registry that differs from the one in use, naming it', () => {
    const error = thrown(() =>
      checkScopeRegistries(scoped({ '@acme': 'https://npm.pkg.github.com' }), new URL(NPMJS))
    )
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toContain('publishConfig["@acme:registry"]')
    expect(error.message).toContain('https://npm.pkg.github.com')
    expect(error.message).toContain(NPMJS)
  })

  it('refuses a scope registry that is not a usable URL, and reports several together', () => {
    const error = thrown(() =>
      checkScopeRegistries(
        scoped({ '@acme': 'http://npm.pkg.github.com', '@b': 'not a url' }),
        new URL('https://npm.pkg.github.com/')
      )
    )
    expect(error.code).toBe('PACKAGE_INVALID')
    expect(error.message).toMatch(/^2 problems: /)
  })
})
