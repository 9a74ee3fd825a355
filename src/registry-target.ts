import { PublishError, combine } from './errors.js'
import { parseRegistry } from './inputs.js'

export const NPMJS = 'https://registry.npmjs.org/'

/** Where the token goes, and why there. */
export interface RegistryChoice {
  url: URL
  /** For the log: "the `registry` input", "publishConfig.registry of <file>", "npm's default". */
  source: string
  /** Things worth a warning (a package asks for another registry than the input names). */
  notes: string[]
}

/** One package's own say: its publishConfig.registry, and where that was read. */
export interface Declared {
  name: string
  where: string
  registry?: string
}

/**
 * Pure: the registry the token goes to. The `registry` input when set; else, for directories,
 * the packages' publishConfig.registry (all the same, or refused); else npmjs. A .tgz never
 * chooses: a publishConfig.registry in it that differs from the registry in use is refused.
 */
export function chooseRegistry(
  input: URL | undefined,
  kind: 'directory' | 'tarball',
  declared: Declared[]
): RegistryChoice {
  const parsed = declared.map((d) => ({
    ...d,
    url:
      d.registry === undefined
        ? undefined
        : parseRegistry(d.registry, `publishConfig.registry of ${d.where}`)
  }))
  if (kind === 'tarball') {
    const url = input ?? new URL(NPMJS)
    const source = input
      ? 'the `registry` input'
      : "npm's default (the `registry` input is not set)"
    const problems = parsed
      .filter((d) => d.url && d.url.href !== url.href)
      .map(
        (d) =>
          new PublishError(
            'INPUT_INVALID',
            `The tarball ${d.where} names publishConfig.registry ${d.url?.href}, but the registry in use is ${url.href} (${source}); a .tgz never chooses where the token goes`,
            `Set \`registry: ${d.url?.href}\` if that is where it belongs, or pack it without publishConfig.registry.`
          )
      )
    if (problems.length) throw combine(problems)
    return { url, source, notes: [] }
  }
  if (input) {
    const notes = parsed
      .filter((d) => d.url && d.url.href !== input.href)
      .map(
        (d) =>
          `${d.name} names publishConfig.registry ${d.url?.href}; the \`registry\` input (${input.href}) wins, as on npm's command line`
      )
    return { url: input, source: 'the `registry` input', notes }
  }
  const named = new Map<string, string[]>()
  for (const d of parsed) {
    const href = d.url?.href ?? `${NPMJS} (no publishConfig.registry)`
    named.set(href, [...(named.get(href) ?? []), d.name])
  }
  const withRegistry = parsed.filter((d) => d.url)
  if (named.size > 1) {
    const list = [...named.entries()].map(([href, names]) => `${names.join(', ')} → ${href}`)
    throw new PublishError(
      'INPUT_INVALID',
      `The packages name different registries (${list.join('; ')}) and the \`registry\` input is not set`,
      'Set `registry` to the one registry this token belongs to, and publish the others in a step of their own.'
    )
  }
  if (withRegistry.length > 0) {
    const first = withRegistry[0]
    return {
      url: first.url as URL,
      source: `publishConfig.registry of ${withRegistry.length === 1 ? first.where : `all ${withRegistry.length} packages`}`,
      notes: []
    }
  }
  return {
    url: new URL(NPMJS),
    source: "npm's default (the `registry` input is not set)",
    notes: []
  }
}

/** A `publishConfig["@scope:registry"]` may only repeat the registry in use (GitHub Packages' docs write exactly that). */
export function checkScopeRegistries(
  packages: { name: string; where: string; scopeRegistries: Record<string, string> }[],
  registry: URL
): void {
  const problems: PublishError[] = []
  for (const pkg of packages) {
    for (const [scope, value] of Object.entries(pkg.scopeRegistries)) {
      let href: string | undefined
      try {
        href = parseRegistry(value, `publishConfig["${scope}:registry"]`).href
      } catch {
        href = undefined
      }
      if (href === registry.href) continue
      problems.push(
        new PublishError(
          'PACKAGE_INVALID',
          `${pkg.where} sets publishConfig["${scope}:registry"] to ${value}, another registry than the one in use (${registry.href}); npm would send the upload there`,
          `Remove it, or make it ${registry.href}.`
        )
      )
    }
  }
  if (problems.length) throw combine(problems)
}
