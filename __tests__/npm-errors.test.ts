/**
 * The error doctor (diagnosePublish / npmError) on real npm 11.19.1 output. Every fixture below was
 * recorded by running `npm publish <dir> --json --ignore-scripts --fetch-retries=0 --tag latest`
 * (the action's flags) against __tests__/helpers/fake-registry.ts scripted with that fault (PUT
 * answers from its PUT_FAULTS; `timeout` = a stalled PUT with --fetch-timeout=1500; `refused` = a
 * closed port; `publishOver` / `tagRequired` = a seeded packument; `prerelease` = 1.0.0-beta.1
 * without --tag; `private` = "private": true). Only the port and the log path were normalised.
 * The last block adds the codes no fixture recorded, in npm 11's stderr layout.
 */
import { describe, expect, it } from '@jest/globals'
import { ERROR_CODES, type ErrorCode } from '../src/errors.js'
import { diagnosePublish, npmError, type PublishFailure } from '../src/npm-errors.js'
import { parseJsonOutput, type NpmResult } from '../src/npm.js'

/** npm 11.19.1 `npm publish --json`: stdout and stderr, as recorded. Exit code 1 for all. */
const NPM11 = {
  notFound: {
    stdout: `{
  "error": {
    "code": "E404",
    "summary": "Not Found - PUT http://127.0.0.1:4873/fixture-pkg - Not found",
    "detail": "The requested resource 'fixture-pkg@1.0.0' could not be found or you do not have permission to access it.\\n\\nNote that you can also install from a\\ntarball, folder, http url, or git url."
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E404
npm error 404 Not Found - PUT http://127.0.0.1:4873/fixture-pkg - Not found
npm error 404
npm error 404  The requested resource 'fixture-pkg@1.0.0' could not be found or you do not have permission to access it.
npm error 404
npm error 404 Note that you can also install from a
npm error 404 tarball, folder, http url, or git url.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  twoFactor: {
    stdout: `{
  "error": {
    "code": "E403",
    "summary": "403 Forbidden - PUT http://127.0.0.1:4873/fixture-pkg - Two-factor authentication or granular access token with bypass 2fa enabled is required to publish packages.",
    "detail": "In most cases, you or one of your dependencies are requesting a package version that is forbidden by your security policy, or on a server you do not have access to."
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E403
npm error 403 403 Forbidden - PUT http://127.0.0.1:4873/fixture-pkg - Two-factor authentication or granular access token with bypass 2fa enabled is required to publish packages.
npm error 403 In most cases, you or one of your dependencies are requesting a package version that is forbidden by your security policy, or on a server you do not have access to.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  forbidden: {
    stdout: `{
  "error": {
    "code": "E403",
    "summary": "403 Forbidden - PUT http://127.0.0.1:4873/fixture-pkg - You do not have permission to publish \\"fixture-pkg\\". Are you logged in as the correct user?",
    "detail": "In most cases, you or one of your dependencies are requesting a package version that is forbidden by your security policy, or on a server you do not have access to."
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E403
npm error 403 403 Forbidden - PUT http://127.0.0.1:4873/fixture-pkg - You do not have permission to publish "fixture-pkg". Are you logged in as the correct user?
npm error 403 In most cases, you or one of your dependencies are requesting a package version that is forbidden by your security policy, or on a server you do not have access to.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_16_47_417Z-debug-0.log
`
  },
  otp: {
    stdout: `{
  "error": {
    "code": "EOTP",
    "summary": "This operation requires a one-time password from your authenticator.",
    "detail": "You can provide a one-time password by passing --otp=<code> to the command you ran.\\nIf you already provided a one-time password then it is likely that you either typoed it, or it timed out. Please try again."
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code EOTP
npm error This operation requires a one-time password from your authenticator.
npm error You can provide a one-time password by passing --otp=<code> to the command you ran.
npm error If you already provided a one-time password then it is likely that you either typoed it, or it timed out. Please try again.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  ipAddress: {
    stdout: `{
  "error": {
    "code": "EAUTHIP",
    "summary": "Login is not allowed from your IP address",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code EAUTHIP
npm error Login is not allowed from your IP address
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  unauthorized: {
    stdout: `{
  "error": {
    "code": "E401",
    "summary": "401 Unauthorized - PUT http://127.0.0.1:4873/fixture-pkg - Unauthorized",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E401
npm error 401 Unauthorized - PUT http://127.0.0.1:4873/fixture-pkg - Unauthorized
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  unprocessable: {
    stdout: `{
  "error": {
    "code": "E422",
    "summary": "422 Unprocessable Entity - PUT http://127.0.0.1:4873/fixture-pkg - Invalid package document: version \\"1.0.0\\" is missing dist.tarball",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E422
npm error 422 Unprocessable Entity - PUT http://127.0.0.1:4873/fixture-pkg - Invalid package document: version "1.0.0" is missing dist.tarball
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  provenance: {
    stdout: `{
  "error": {
    "code": "E422",
    "summary": "422 Unprocessable Entity - PUT http://127.0.0.1:4873/fixture-pkg - Error verifying sigstore provenance bundle: Unsupported GitHub Actions runner environment: \\"self-hosted\\". Only \\"github-hosted\\" runners are supported when publishing with provenance.",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E422
npm error 422 Unprocessable Entity - PUT http://127.0.0.1:4873/fixture-pkg - Error verifying sigstore provenance bundle: Unsupported GitHub Actions runner environment: "self-hosted". Only "github-hosted" runners are supported when publishing with provenance.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  serverError: {
    stdout: `{
  "error": {
    "code": "E500",
    "summary": "500 Internal Server Error - PUT http://127.0.0.1:4873/fixture-pkg - Internal Server Error",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E500
npm error 500 Internal Server Error - PUT http://127.0.0.1:4873/fixture-pkg - Internal Server Error
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  unavailable: {
    stdout: `{
  "error": {
    "code": "E503",
    "summary": "503 Service Unavailable - PUT http://127.0.0.1:4873/fixture-pkg - Service Unavailable",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E503
npm error 503 Service Unavailable - PUT http://127.0.0.1:4873/fixture-pkg - Service Unavailable
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  tooMany: {
    stdout: `{
  "error": {
    "code": "E429",
    "summary": "429 Too Many Requests - PUT http://127.0.0.1:4873/fixture-pkg - Too Many Requests",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E429
npm error 429 Too Many Requests - PUT http://127.0.0.1:4873/fixture-pkg - Too Many Requests
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  conflictAfterStore: {
    stdout: `{
  "error": {
    "code": "E409",
    "summary": "409 Conflict - PUT http://127.0.0.1:4873/fixture-pkg - Cannot publish over existing version",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code E409
npm error 409 Conflict - PUT http://127.0.0.1:4873/fixture-pkg - Cannot publish over existing version
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  reset: {
    stdout: `{
  "error": {
    "code": "ECONNRESET",
    "summary": "request to http://127.0.0.1:4873/fixture-pkg failed, reason: socket hang up",
    "detail": "This is a problem related to network connectivity.\\nIn most cases you are behind a proxy or have bad network settings.\\n\\nIf you are behind a proxy, please make sure that the 'proxy' config is set properly.  See: 'npm help config'"
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code ECONNRESET
npm error errno ECONNRESET
npm error network request to http://127.0.0.1:4873/fixture-pkg failed, reason: socket hang up
npm error network This is a problem related to network connectivity.
npm error network In most cases you are behind a proxy or have bad network settings.
npm error network
npm error network If you are behind a proxy, please make sure that the 'proxy' config is set properly.  See: 'npm help config'
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  timeout: {
    stdout: `{
  "error": {
    "code": "FETCH_ERROR",
    "summary": "network timeout at: http://127.0.0.1:4873/fixture-pkg",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code FETCH_ERROR
npm error errno FETCH_ERROR
npm error network timeout at: http://127.0.0.1:4873/fixture-pkg
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  publishOver: {
    stdout: `{
  "error": {
    "summary": "You cannot publish over the previously published versions: 1.0.0.",
    "detail": ""
  }
}
`,
    stderr: `npm error You cannot publish over the previously published versions: 1.0.0.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  tagRequired: {
    stdout: `{
  "error": {
    "summary": "Cannot implicitly apply the \\"latest\\" tag because previously published version 2.0.0 is higher than the new version 1.0.0. You must specify a tag using --tag.",
    "detail": ""
  }
}
`,
    stderr: `npm error Cannot implicitly apply the "latest" tag because previously published version 2.0.0 is higher than the new version 1.0.0. You must specify a tag using --tag.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  prerelease: {
    stdout: `{
  "error": {
    "summary": "You must specify a tag using --tag when publishing a prerelease version.",
    "detail": ""
  }
}
`,
    stderr: `npm error You must specify a tag using --tag when publishing a prerelease version.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  private: {
    stdout: `{
  "error": {
    "code": "EPRIVATE",
    "summary": "This package has been marked as private\\nRemove the 'private' field from the package.json to publish it.",
    "detail": ""
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code EPRIVATE
npm error This package has been marked as private
npm error Remove the 'private' field from the package.json to publish it.
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  },
  refused: {
    stdout: `{
  "error": {
    "code": "ECONNREFUSED",
    "summary": "FetchError: request to http://127.0.0.1:4873/fixture-pkg failed, reason: connect ECONNREFUSED 127.0.0.1:4873",
    "detail": "If you are behind a proxy, please make sure that the 'proxy' config is set properly.  See: 'npm help config'"
  }
}
`,
    stderr: `npm notice Publishing to http://127.0.0.1:4873/ with tag latest and default access
npm error code ECONNREFUSED
npm error syscall connect
npm error errno ECONNREFUSED
npm error FetchError: request to http://127.0.0.1:4873/fixture-pkg failed, reason: connect ECONNREFUSED 127.0.0.1:4873
npm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/node_modules/minipass-fetch/lib/index.js:130:14)
npm error     at ClientRequest.emit (node:events:524:28)
npm error     at emitErrorEvent (node:_http_client:101:11)
npm error     at _destroy (node:_http_client:884:9)
npm error     at onSocketNT (node:_http_client:904:5)
npm error     at process.processTicksAndRejections (node:internal/process/task_queues:83:21) {
npm error   code: 'ECONNREFUSED',
npm error   errno: 'ECONNREFUSED',
npm error   syscall: 'connect',
npm error   address: '127.0.0.1',
npm error   port: 4873,
npm error   type: 'system'
npm error }
npm error
npm error If you are behind a proxy, please make sure that the 'proxy' config is set properly.  See: 'npm help config'
npm error A complete log of this run can be found in: /home/runner/work/_temp/npm-automation-publish-Ab12Cd/logs/2026-11-23T13_09_45_627Z-debug-0.log
`
  }
} satisfies Record<string, { stdout: string; stderr: string }>

type Fixture = keyof typeof NPM11

/** What runNpm() makes of a finished npm: the streams and the parsed --json document. */
function result(name: Fixture): NpmResult {
  const { stdout, stderr } = NPM11[name]
  return { exitCode: 1, stdout, stderr, json: parseJsonOutput(stdout) }
}

function definite(failure: PublishFailure): { code: ErrorCode; message: string; hint: string } {
  if (failure.kind !== 'definite') throw new Error(`expected a definite failure: ${failure.reason}`)
  const { code, message, hint } = failure.error
  return { code, message, hint }
}

const noProvenance = { provenance: false }

describe('npmError', () => {
  it('reads the code and the first summary line from the --json error on stdout', () => {
    expect(npmError(result('notFound'))).toEqual({
      code: 'E404',
      summary: 'Not Found - PUT http://127.0.0.1:4873/fixture-pkg - Not found'
    })
    expect(npmError(result('private'))).toEqual({
      code: 'EPRIVATE',
      summary: 'This package has been marked as private'
    })
  })

  it('has no code for the errors npm raises itself before any PUT', () => {
    expect(npmError(result('publishOver'))).toEqual({
      code: '',
      summary: 'You cannot publish over the previously published versions: 1.0.0.'
    })
  })

  it('falls back to the first meaningful `npm error` line of stderr when stdout holds no JSON', () => {
    const stderr = (name: Fixture): string =>
      `npm warn Unknown user config "nodedir". This will stop working in the next major version of npm.\n${NPM11[name].stderr}`
    expect(npmError({ exitCode: 1, stdout: '', stderr: stderr('twoFactor') })).toEqual({
      code: 'E403',
      summary:
        '403 Forbidden - PUT http://127.0.0.1:4873/fixture-pkg - Two-factor authentication or granular access token with bypass 2fa enabled is required to publish packages.'
    })
    expect(npmError({ exitCode: 1, stdout: '', stderr: stderr('reset') })).toEqual({
      code: 'ECONNRESET',
      summary: 'network request to http://127.0.0.1:4873/fixture-pkg failed, reason: socket hang up'
    })
    expect(npmError({ exitCode: 1, stdout: '', stderr: stderr('publishOver') })).toEqual({
      code: '',
      summary: 'You cannot publish over the previously published versions: 1.0.0.'
    })
    expect(npmError({ exitCode: 1, stdout: '', stderr: '' })).toEqual({
      code: '',
      summary: 'no detail'
    })
  })
})

describe('diagnosePublish: definite failures', () => {
  const cases: [Fixture, ErrorCode, string][] = [
    ['notFound', 'PUBLISH_FORBIDDEN', 'npmjs answers 404 to an upload when the token cannot write'],
    ['twoFactor', 'OTP_REQUIRED', ERROR_CODES.OTP_REQUIRED],
    ['otp', 'OTP_REQUIRED', ERROR_CODES.OTP_REQUIRED],
    ['forbidden', 'PUBLISH_FORBIDDEN', 'The registry refused the upload: the token may be'],
    ['ipAddress', 'TOKEN_CIDR', ERROR_CODES.TOKEN_CIDR],
    ['unauthorized', 'TOKEN_INVALID', ERROR_CODES.TOKEN_INVALID],
    ['unprocessable', 'PUBLISH_FAILED', 'The registry rejected the package document'],
    ['provenance', 'PUBLISH_FAILED', 'The registry rejected the package document'],
    ['tagRequired', 'TAG_REQUIRED', ERROR_CODES.TAG_REQUIRED],
    ['prerelease', 'TAG_REQUIRED', ERROR_CODES.TAG_REQUIRED],
    ['private', 'PACKAGE_INVALID', ERROR_CODES.PACKAGE_INVALID],
    ['refused', 'REGISTRY_UNREACHABLE', ERROR_CODES.REGISTRY_UNREACHABLE]
  ]

  it.each(cases)('%s → %s', (name, code, hint) => {
    const error = definite(diagnosePublish(result(name), noProvenance))
    expect(error.code).toBe(code)
    expect(error.hint).toContain(hint)
    // The message quotes npm: its code (when it has one) and its summary.
    const { code: npmCode, summary } = npmError(result(name))
    expect(error.message).toBe(npmCode ? `npm ${npmCode}: ${summary}` : `npm: ${summary}`)
  })

  it('maps a 422 to PROVENANCE_FAILED when provenance was asked for', () => {
    for (const name of ['provenance', 'unprocessable'] as const) {
      const error = definite(diagnosePublish(result(name), { provenance: true }))
      expect(error.code).toBe('PROVENANCE_FAILED')
      expect(error.hint).toBe(ERROR_CODES.PROVENANCE_FAILED)
    }
    expect(definite(diagnosePublish(result('provenance'), { provenance: true })).message).toContain(
      'Only "github-hosted" runners are supported when publishing with provenance'
    )
  })

  it('does not read OTP into a package or host name ("hotpot", "otp-utils")', () => {
    for (const name of ['hotpot', 'otp-utils']) {
      const { stdout, stderr } = NPM11.forbidden
      const renamed = (text: string): string =>
        text.replaceAll('fixture-pkg', name).replaceAll('127.0.0.1:4873', 'otp.registry.example')
      const run = { exitCode: 1, stdout: renamed(stdout), stderr: renamed(stderr) }
      const error = definite(
        diagnosePublish({ ...run, json: parseJsonOutput(run.stdout) }, noProvenance)
      )
      expect(error.message).toContain(`You do not have permission to publish "${name}"`)
      expect(error.code).toBe('PUBLISH_FORBIDDEN')
    }
  })

  it('reads the OTP demand in a 401 body without a challenge header', () => {
    const stderr = [
      'npm error code E401',
      'npm error 401 Unauthorized - PUT https://registry.npmjs.org/fixture-pkg - A One Time Password (OTP) by email is required.'
    ].join('\n')
    expect(definite(diagnosePublish({ exitCode: 1, stdout: '', stderr }, noProvenance)).code).toBe(
      'OTP_REQUIRED'
    )
  })

  it('quotes an unknown npm failure as PUBLISH_FAILED with the exit code', () => {
    const stderr = 'npm error code EWHATEVER\nnpm error something new went wrong\n'
    expect(definite(diagnosePublish({ exitCode: 7, stdout: '', stderr }, noProvenance))).toEqual({
      code: 'PUBLISH_FAILED',
      message: 'npm EWHATEVER: something new went wrong',
      hint: 'npm exited with code 7; its output is in the "npm publish" group above.'
    })
  })
})

describe('diagnosePublish: ambiguous failures (read the registry back)', () => {
  const cases: Fixture[] = [
    'serverError',
    'unavailable',
    'tooMany',
    'conflictAfterStore',
    'reset',
    'timeout'
  ]

  it.each(cases)('%s may have landed', (name) => {
    const failure = diagnosePublish(result(name), noProvenance)
    const { code, summary } = npmError(result(name))
    // The 409 body reads "Cannot publish over...": the registry holds the version (maybe ours).
    expect(failure).toEqual(
      name === 'conflictAfterStore'
        ? { kind: 'ambiguous', reason: 'npm says the version is already published', exists: true }
        : { kind: 'ambiguous', reason: `npm ${code}: ${summary}` }
    )
  })

  it('treats npm\'s own "cannot publish over" (no HTTP code: before any upload) as "it exists, not ours"', () => {
    expect(diagnosePublish(result('publishOver'), noProvenance)).toEqual({
      kind: 'ambiguous',
      reason: 'npm says the version is already published',
      exists: true,
      beforeUpload: true
    })
  })

  it('reads Verdaccio\'s 409 "already present" as a plain 409: it also means a name held upstream', () => {
    const stderr = [
      'npm error code E409',
      'npm error 409 Conflict - PUT http://127.0.0.1:4873/fixture-pkg - this package is already present',
      ''
    ].join('\n')
    expect(diagnosePublish({ exitCode: 1, stdout: '', stderr }, noProvenance)).toEqual({
      kind: 'ambiguous',
      reason:
        'npm E409: Conflict - PUT http://127.0.0.1:4873/fixture-pkg - this package is already present'
    })
  })
})

/** npm's stderr for a failure with `code` and one message line (written by hand, npm 11's layout). */
function stderrOnly(code: string, line: string): NpmResult {
  return { exitCode: 1, stdout: '', stderr: `npm error code ${code}\nnpm error ${line}\n` }
}

describe('diagnosePublish: the rest of the map (written by hand, not recorded)', () => {
  it('a 401 on a trusted-publishing upload is the trust relationship, not a token to renew', () => {
    const error = definite(
      diagnosePublish(result('unauthorized'), { provenance: true, oidc: true })
    )
    expect(error.code).toBe('OIDC_REJECTED')
    expect(error.hint).toBe(ERROR_CODES.OIDC_REJECTED)
  })

  it('a 402 asks for public access, ENEEDAUTH for what points the package elsewhere', () => {
    const payment = definite(
      diagnosePublish(
        stderrOnly(
          'E402',
          '402 Payment Required - PUT https://registry.npmjs.org/@acme%2ftool - You must sign up for private packages'
        ),
        noProvenance
      )
    )
    expect(payment).toMatchObject({ code: 'PUBLISH_FORBIDDEN' })
    expect(payment.hint).toContain('`access: public`')
    const needAuth = definite(
      diagnosePublish(
        stderrOnly(
          'ENEEDAUTH',
          'need auth This command requires you to be logged in to https://other.example/'
        ),
        noProvenance
      )
    )
    expect(needAuth.code).toBe('PUBLISH_FAILED')
    expect(needAuth.hint).toContain('no credential for the registry')
  })

  it('a stage-only package or token asks for `stage: true`, by code or by text', () => {
    for (const run of [
      stderrOnly('E_STAGE_REQUIRED', 'This package may only stage releases'),
      stderrOnly(
        'E403',
        '403 Forbidden - PUT https://registry.npmjs.org/x - may only stage new versions'
      )
    ]) {
      const error = definite(diagnosePublish(run, noProvenance))
      expect(error.code).toBe('PUBLISH_FORBIDDEN')
      expect(error.hint).toContain('`stage: true`')
    }
  })

  it('a registry that was never reached is definite; a lookup that may recover is not', () => {
    expect(
      definite(
        diagnosePublish(
          stderrOnly(
            'ENOTFOUND',
            'request to https://nope.example/x failed, reason: getaddrinfo ENOTFOUND'
          ),
          noProvenance
        )
      ).code
    ).toBe('REGISTRY_UNREACHABLE')
    for (const code of ['EAI_AGAIN', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'E502']) {
      expect(diagnosePublish(stderrOnly(code, 'something'), noProvenance)).toEqual({
        kind: 'ambiguous',
        reason: `npm ${code}: something`
      })
    }
  })

  it('npmjs’s 403 "cannot publish over" means the version is there (an upload was refused)', () => {
    const run = stderrOnly(
      'E403',
      '403 Forbidden - PUT https://registry.npmjs.org/x - You cannot publish over the previously published versions: 1.0.0.'
    )
    expect(diagnosePublish(run, noProvenance)).toEqual({
      kind: 'ambiguous',
      reason: 'npm says the version is already published',
      exists: true
    })
  })
})
