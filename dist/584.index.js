export const id = 584;
export const ids = [584,210];
export const modules = {

/***/ 711:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {



const parse = __webpack_require__(6353)

const diff = (version1, version2) => {
  const v1 = parse(version1, null, true)
  const v2 = parse(version2, null, true)
  const comparison = v1.compare(v2)

  if (comparison === 0) {
    return null
  }

  const v1Higher = comparison > 0
  const highVersion = v1Higher ? v1 : v2
  const lowVersion = v1Higher ? v2 : v1
  const highHasPre = !!highVersion.prerelease.length
  const lowHasPre = !!lowVersion.prerelease.length

  if (lowHasPre && !highHasPre) {
    // Going from prerelease -> no prerelease requires some special casing

    // If the low version has only a major, then it will always be a major
    // Some examples:
    // 1.0.0-1 -> 1.0.0
    // 1.0.0-1 -> 1.1.1
    // 1.0.0-1 -> 2.0.0
    if (!lowVersion.patch && !lowVersion.minor) {
      return 'major'
    }

    // If the main part has no difference
    if (lowVersion.compareMain(highVersion) === 0) {
      if (lowVersion.minor && !lowVersion.patch) {
        return 'minor'
      }
      return 'patch'
    }
  }

  // add the `pre` prefix if we are going to a prerelease version
  const prefix = highHasPre ? 'pre' : ''

  if (v1.major !== v2.major) {
    return prefix + 'major'
  }

  if (v1.minor !== v2.minor) {
    return prefix + 'minor'
  }

  if (v1.patch !== v2.patch) {
    return prefix + 'patch'
  }

  // high and low are prereleases
  return 'prerelease'
}

module.exports = diff


/***/ }),

/***/ 8511:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {



const SemVer = __webpack_require__(7163)
const major = (a, loose) => new SemVer(a, loose).major
module.exports = major


/***/ }),

/***/ 5714:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {



const parse = __webpack_require__(6353)
const prerelease = (version, options) => {
  const parsed = parse(version, options)
  return (parsed && parsed.prerelease.length) ? parsed.prerelease : null
}
module.exports = prerelease


/***/ }),

/***/ 1737:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  bG: () => (/* binding */ TOKEN_VARIABLE),
  $7: () => (/* binding */ withNpmrc)
});

// UNUSED EXPORTS: authLine, npmrcText

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/workflow.ts
var workflow = __webpack_require__(2986);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/scrub.ts



/** Private directories are named so; the post step removes nothing else. */
const DIR_PREFIX = 'npm-automation-publish-';
/** Where private directories are made: the runner's per-job temp dir, never the workspace or ~. */
function tempRoot() {
    return process.env['RUNNER_TEMP'] || external_node_os_default().tmpdir();
}
/** Overwrites the .npmrc, then removes the whole private dir (npm's logs and cache with it). */
function scrub(dir) {
    const npmrc = external_node_path_default().join(dir, '.npmrc');
    try {
        const { size } = external_node_fs_default().statSync(npmrc);
        external_node_fs_default().writeFileSync(npmrc, Buffer.alloc(size));
    }
    catch {
        // already gone
    }
    external_node_fs_default().rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
/**
 * Post-step backstop: removes the directory main saved, only if it is one of ours under the temp
 * root (the state value is never trusted to point anywhere else). Returns what happened.
 */
function scrubLeftovers(saved) {
    if (!saved)
        return 'none';
    const root = path.resolve(tempRoot());
    const dir = path.resolve(saved);
    if (path.dirname(dir) !== root || !path.basename(dir).startsWith(DIR_PREFIX))
        return 'refused';
    if (!fs.existsSync(dir))
        return 'clean';
    scrub(dir);
    return 'removed';
}

;// CONCATENATED MODULE: ./src/state.ts
/** Every value main hands to the post step, under one name each (read back as STATE_<name>). */
const STATE = {
    credentialsDir: 'credentialsDir'
};
function savedCredentialsDir() {
    return process.env[`STATE_${STATE.credentialsDir}`] ?? '';
}

;// CONCATENATED MODULE: ./src/credentials.ts






/** The variable npm expands in the auth line; it exists only in the publishing npm's environment. */
const TOKEN_VARIABLE = 'NPM_AUTOMATION_PUBLISH_TOKEN';
/** `//host[:port]/path/:_authToken=${VAR}` — npm sends the token only to URLs under this prefix. */
function authLine(registry) {
    const pathname = registry.pathname.endsWith('/') ? registry.pathname : `${registry.pathname}/`;
    return `//${registry.host}${pathname}:_authToken=\${${TOKEN_VARIABLE}}`;
}
function npmrcText(registry, packageName, withAuth) {
    const lines = [`registry=${registry.href}`];
    // A global `@scope:registry=` must not send a scoped package elsewhere.
    if (packageName.startsWith('@'))
        lines.push(`${packageName.split('/')[0]}:registry=${registry.href}`);
    if (withAuth)
        lines.push(authLine(registry));
    return `${lines.join('\n')}\n`;
}
/**
 * The one owner of the credentials: makes the private dir and .npmrc, runs `task`, and removes
 * both afterwards — in `finally`, on SIGINT/SIGTERM, and (from the saved state) in the post step.
 */
async function withNpmrc(registry, packageName, token, task) {
    const dir = external_node_fs_default().mkdtempSync(external_node_path_default().join(tempRoot(), DIR_PREFIX));
    external_node_fs_default().chmodSync(dir, 0o700);
    workflow/* saveState */.LZ(STATE.credentialsDir, dir); // before anything token-related exists, so the post step can find it
    const npmrc = external_node_path_default().join(dir, '.npmrc');
    const onSignal = (signal) => {
        scrubOrWarn(dir);
        process.exitCode = signal === 'SIGINT' ? 130 : 143;
        // The npm child gets the signal too; leave if the flow does not wind down by itself, once
        // stdout has drained (the tail of the log must not be lost).
        setTimeout(() => process.stdout.write('', () => process.exit()), 3000).unref();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        external_node_fs_default().writeFileSync(npmrc, npmrcText(registry, packageName, token !== undefined), {
            mode: 0o600,
            flag: 'wx'
        });
        const env = token === undefined ? {} : { [TOKEN_VARIABLE]: token };
        return await task({ dir, npmrc, env });
    }
    finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        scrubOrWarn(dir);
    }
}
/** Clean-up must not turn a publish into a failure: a file still held open is the post step's. */
function scrubOrWarn(dir) {
    try {
        scrub(dir);
    }
    catch (error) {
        workflow/* warning */.$e(`Could not remove ${dir} yet (${(0,errors/* errorMessage */.gJ)(error)}); the post step removes it.`);
    }
}


/***/ }),

/***/ 5210:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B1: () => (/* binding */ stderrSummary),
/* harmony export */   M4: () => (/* binding */ npmPackIntegrity),
/* harmony export */   XJ: () => (/* binding */ npmPublish),
/* harmony export */   kV: () => (/* binding */ npmRunScript),
/* harmony export */   npmVersion: () => (/* binding */ npmVersion)
/* harmony export */ });
/* unused harmony exports childEnv, npmCommand, runNpm, parseJsonOutput */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3916);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1737);
/* harmony import */ var _registry_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2976);






/** Network settings a runner may legitimately pass to npm; every other npm_config_* is dropped. */
const KEPT_NPM_CONFIG = new Set(['proxy', 'https_proxy', 'http_proxy', 'noproxy', 'cafile', 'ca']);
/**
 * The child's environment: inherited credentials and npm config (setup-node's job-wide
 * NPM_CONFIG_USERCONFIG, NODE_AUTH_TOKEN...) and the action's own inputs removed, then `extra` added.
 * `idToken` keeps the OIDC request variables, which only a provenance publish needs.
 */
function childEnv(extra = {}, options = {}) {
    const env = {};
    for (const [name, value] of Object.entries(process.env)) {
        const lower = name.toLowerCase();
        if (lower.startsWith('npm_config_') && !KEPT_NPM_CONFIG.has(lower.slice(11).replace(/-/g, '_')))
            continue;
        if (/^(input|state)_/.test(lower))
            continue;
        if (['node_auth_token', 'npm_token', _credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .TOKEN_VARIABLE */ .bG.toLowerCase()].includes(lower))
            continue;
        if (lower.startsWith('actions_id_token_request_') && !options.idToken)
            continue;
        // NODE_OPTIONS could --require code into the npm that holds the token.
        if (lower === 'node_options' && !options.nodeOptions)
            continue;
        env[name] = value;
    }
    return { ...env, ...extra };
}
/**
 * How to start the npm on PATH. On Windows, `node npm-cli.js` from npm.cmd's folder, with no
 * cmd.exe in between: cmd would expand %VARS% inside arguments, and a signal would stop cmd, not
 * the npm holding the token. Only when that layout is not found, npm.cmd through the shell.
 */
function npmCommand(platform = process.platform, env = process.env, exists = (node_fs__WEBPACK_IMPORTED_MODULE_1___default().existsSync)) {
    if (platform !== 'win32')
        return { file: 'npm', prefix: [], shell: false };
    const PATH = env['PATH'] ?? env['Path'] ?? '';
    for (const dir of PATH.split(';').filter(Boolean)) {
        const cli = node_path__WEBPACK_IMPORTED_MODULE_2___default().win32.join(dir, 'node_modules', 'npm', 'bin', 'npm-cli.js');
        if (!exists(node_path__WEBPACK_IMPORTED_MODULE_2___default().win32.join(dir, 'npm.cmd')) || !exists(cli))
            continue;
        const node = node_path__WEBPACK_IMPORTED_MODULE_2___default().win32.join(dir, 'node.exe');
        return { file: exists(node) ? node : 'node.exe', prefix: [cli], shell: false };
    }
    return { file: 'npm.cmd', prefix: [], shell: true };
}
/** Runs npm without a shell, capturing its output. */
function runNpm(args, options) {
    const npm = npmCommand();
    const argv = [...npm.prefix, ...(npm.shell ? args.map(quoteForCmd) : args)];
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(npm.file, argv, {
            cwd: options.cwd,
            env: options.env,
            shell: npm.shell,
            stdio: [
                'ignore',
                options.inheritOutput ? 'inherit' : 'pipe',
                options.inheritOutput ? 'inherit' : 'pipe'
            ],
            windowsHide: true
        });
        const stdout = [];
        const stderr = [];
        child.stdout?.on('data', (chunk) => stdout.push(chunk));
        child.stderr?.on('data', (chunk) => stderr.push(chunk));
        const forward = (signal) => void child.kill(signal);
        process.on('SIGINT', forward);
        process.on('SIGTERM', forward);
        const done = () => {
            process.removeListener('SIGINT', forward);
            process.removeListener('SIGTERM', forward);
        };
        child.on('error', (error) => {
            done();
            reject(new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .PublishError */ .S1('PUBLISH_FAILED', `Could not start npm: ${error.message}`, 'Install Node.js and npm on the runner (actions/setup-node) before this step.'));
        });
        child.on('close', (code, signal) => {
            done();
            const out = Buffer.concat(stdout).toString('utf8');
            resolve({
                exitCode: code ?? (signal ? 128 : 1),
                stdout: out,
                stderr: Buffer.concat(stderr).toString('utf8'),
                json: parseJsonOutput(out)
            });
        });
    });
}
function quoteForCmd(arg) {
    return /^[\w@./:=,+-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`;
}
function parseJsonOutput(stdout) {
    const start = stdout.search(/[[{]/);
    if (start < 0)
        return undefined;
    try {
        return JSON.parse(stdout.slice(start));
    }
    catch {
        return undefined;
    }
}
/**
 * `npm publish`, scripts off, no npm-level retries, config and logs from the private dir only.
 * Not `--force`: it would save npm's own packument read just before the upload, the last check
 * that nobody published the version since the preflight (a registry that allows overwrites
 * would take the upload; a provenance statement would be signed first).
 */
function npmPublish(args, credentials) {
    const argv = [
        ...(args.stage ? ['stage', 'publish'] : ['publish']),
        args.target,
        '--json',
        '--ignore-scripts',
        '--fetch-retries=0',
        // npm's default is 5 minutes per request: a stalled PUT would hold the job that long.
        `--fetch-timeout=${(0,_registry_js__WEBPACK_IMPORTED_MODULE_5__/* .retryPolicy */ .Jb)().timeoutMs * 6}`,
        '--tag',
        args.tag,
        '--registry',
        args.registry.href,
        '--userconfig',
        credentials.npmrc,
        '--logs-dir',
        node_path__WEBPACK_IMPORTED_MODULE_2___default().join(credentials.dir, 'logs'),
        '--cache',
        node_path__WEBPACK_IMPORTED_MODULE_2___default().join(credentials.dir, 'cache'),
        '--no-workspaces',
        '--audit=false',
        '--fund=false',
        '--update-notifier=false'
    ];
    if (args.access)
        argv.push('--access', args.access);
    if (args.provenance)
        argv.push('--provenance');
    if (args.dryRun)
        argv.push('--dry-run');
    return runNpm(argv, {
        cwd: credentials.dir,
        env: childEnv(credentials.env, { idToken: args.provenance })
    });
}
/** The integrity npm will publish a directory with: `npm pack --dry-run` (nothing written). */
async function npmPackIntegrity(dir, scratch) {
    const result = await runNpm([
        'pack',
        dir,
        '--dry-run',
        '--json',
        '--ignore-scripts',
        '--no-workspaces',
        '--logs-dir',
        node_path__WEBPACK_IMPORTED_MODULE_2___default().join(scratch, 'logs'),
        '--cache',
        node_path__WEBPACK_IMPORTED_MODULE_2___default().join(scratch, 'cache')
    ], { cwd: scratch, env: childEnv() });
    const first = Array.isArray(result.json) ? result.json[0] : undefined;
    if (result.exitCode !== 0 || typeof first?.['integrity'] !== 'string') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .PublishError */ .S1('PACKAGE_INVALID', `npm pack could not pack ${dir}: ${stderrSummary(result.stderr)}`);
    }
    return {
        integrity: first['integrity'],
        shasum: typeof first['shasum'] === 'string' ? first['shasum'] : ''
    };
}
let version;
/** The npm on PATH's version, asked once (only the OIDC and stage paths need it). */
function npmVersion() {
    version ??= runNpm(['--version'], { cwd: process.cwd(), env: childEnv() }).then((result) => result.stdout.trim().split('\n').pop() ?? '');
    return version;
}
/** A lifecycle script, run as its own `npm run` with no credential anywhere in reach. */
async function npmRunScript(dir, script) {
    const result = await runNpm(['run', script, '--if-present'], {
        cwd: dir,
        env: childEnv({}, { nodeOptions: true }),
        inheritOutput: true
    });
    if (result.exitCode !== 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .PublishError */ .S1('PUBLISH_FAILED', `The "${script}" script failed with exit code ${result.exitCode}`, 'Fix the script (its output is above), or set `ignore-scripts: true` if you build in an earlier step.');
    }
}
/**
 * The first `npm error` line that says something: not `npm notice` / `npm warn` lines (a runner's
 * "Unknown user config" warning comes first), not `code` / `errno` / `syscall` / the log path, and
 * without the status npm repeats in front (`npm error 404 Not Found - PUT ...`).
 */
function stderrSummary(stderr) {
    for (const line of stderr.split('\n')) {
        const text = /^npm (?:error|ERR!) (.*)$/.exec(line.trim())?.[1]?.trim();
        if (!text || /^(code|errno|syscall) \S+$|^A complete log/.test(text))
            continue;
        const message = text.replace(/^\d{3}\s+/, '').trim();
        if (message)
            return message;
    }
    return 'no detail';
}


/***/ }),

/***/ 7584:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  release: () => (/* binding */ release)
});

// UNUSED EXPORTS: publishedBefore, versionOwner

// EXTERNAL MODULE: ./src/workflow.ts
var workflow = __webpack_require__(2986);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./node_modules/semver/functions/valid.js
var valid = __webpack_require__(8780);
var valid_default = /*#__PURE__*/__webpack_require__.n(valid);
// EXTERNAL MODULE: ./node_modules/semver/functions/lt.js
var lt = __webpack_require__(3872);
var lt_default = /*#__PURE__*/__webpack_require__.n(lt);
// EXTERNAL MODULE: ./src/manifest.ts
var manifest = __webpack_require__(5546);
// EXTERNAL MODULE: ./src/credentials.ts + 2 modules
var credentials = __webpack_require__(1737);
// EXTERNAL MODULE: ./src/npm.ts
var src_npm = __webpack_require__(5210);
;// CONCATENATED MODULE: ./src/npm-errors.ts


/** npm 11's `--json` error object (`{"error": {code, summary, detail}}` on stdout), else stderr. */
function npmError(result) {
    const json = result.json?.error;
    const stderrCode = /npm (?:error|ERR!) code (\S+)/.exec(result.stderr)?.[1];
    const code = json?.code ?? stderrCode ?? '';
    const summary = (json?.summary || (0,src_npm/* stderrSummary */.B1)(result.stderr)).split('\n')[0].trim();
    return { code, summary };
}
/**
 * The upload may have landed: read the registry back. `FETCH_ERROR` is minipass-fetch's code for a
 * request or body timeout ("network timeout at: ... PUT"), after the document may have been sent.
 */
const AMBIGUOUS_CODES = /^(E409|E5\d\d|E429|ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|EPIPE|ECONNABORTED|ERR_SOCKET_TIMEOUT|UND_ERR_\w+|EAI_AGAIN|FETCH_ERROR)$/;
/** npm never reached the registry: nothing can have landed. */
const UNREACHABLE_CODES = /^(ECONNREFUSED|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL)$/;
/**
 * npm's text without request lines, URLs and "quoted" names, so that a package or host called
 * "hotpot" or "otp-utils" does not read as a one-time-password demand.
 */
function prose(text) {
    return text
        .replace(/\b(?:GET|PUT|POST|DELETE|HEAD|PATCH)\s+\S+/g, ' ')
        .replace(/https?:\/\/\S+/g, ' ')
        .replace(/"[^"\n]*"/g, ' ');
}
const OTP_TEXT = /two-factor|\b2fa\b|one[- ]time pass|\botp\b/i;
/** The error doctor: one code, a cause and a remedy for every way `npm publish` fails. */
function diagnosePublish(result, context) {
    const { code, summary } = npmError(result);
    const quoted = code ? `npm ${code}: ${summary}` : `npm: ${summary}`;
    const definite = (errorCode, hint) => ({
        kind: 'definite',
        error: new errors/* PublishError */.S1(errorCode, quoted, hint)
    });
    const text = `${summary}\n${result.stderr}`;
    // npm and npmjs: "You cannot publish over the previously published versions: 1.0.0." (npm's
    // tag error also says "previously published version", so match only this phrase).
    if (/cannot publish over/i.test(text)) {
        // Without an HTTP code it is npm's own check, before any upload. With one, the registry
        // refused an upload: the version may be an earlier run's, or ours if something replayed it.
        const reason = 'npm says the version is already published';
        return code
            ? { kind: 'ambiguous', reason, exists: true }
            : { kind: 'ambiguous', reason, exists: true, beforeUpload: true };
    }
    if (code === 'E_STAGE_REQUIRED' || /E_STAGE_REQUIRED|may only stage|stage[- ]only/i.test(text)) {
        return definite('PUBLISH_FORBIDDEN', 'This token (or the package) only allows staged releases: set `stage: true` to publish with `npm stage publish`, then approve the release on npmjs.com.');
    }
    if (AMBIGUOUS_CODES.test(code))
        return { kind: 'ambiguous', reason: quoted };
    if (UNREACHABLE_CODES.test(code))
        return definite('REGISTRY_UNREACHABLE');
    switch (code) {
        case 'EOTP':
            return definite('OTP_REQUIRED');
        case 'EAUTHIP':
            return definite('TOKEN_CIDR');
        case 'E401':
            // npmjs: 401 {"error": "A One Time Password (OTP) by email is required."} without a challenge.
            if (OTP_TEXT.test(prose(text)))
                return definite('OTP_REQUIRED');
            // The short-lived OIDC token was refused: the trust relationship, not a token to renew.
            if (context.oidc)
                return definite('OIDC_REJECTED');
            return definite('TOKEN_INVALID');
        case 'ENEEDAUTH':
            // npm had no credential for the registry it targeted: not a dead token, a wrong target.
            return definite('PUBLISH_FAILED', 'npm found no credential for the registry it was about to publish to: check that nothing points this package at another registry (a scoped registry setting, publishConfig).');
        case 'E402':
            return definite('PUBLISH_FORBIDDEN', 'The registry wants payment for a private package: set `access: public` to publish a scoped package publicly.');
        case 'E404':
            return definite('PUBLISH_FORBIDDEN', "npmjs answers 404 to an upload when the token cannot write this package: check the token's package list / org access, and that the package name is yours.");
        case 'E422':
            if (context.provenance)
                return definite('PROVENANCE_FAILED');
            return definite('PUBLISH_FAILED', 'The registry rejected the package document: see the message.');
        case 'E403':
            if (OTP_TEXT.test(prose(text)))
                return definite('OTP_REQUIRED');
            return definite('PUBLISH_FORBIDDEN', "The registry refused the upload: the token may be read-only, revoked, limited to other IP ranges or packages, or the package's settings disallow tokens.");
    }
    if (/Cannot implicitly apply the "latest" tag|must specify a tag/i.test(text)) {
        return definite('TAG_REQUIRED');
    }
    if (/marked as private/i.test(text))
        return definite('PACKAGE_INVALID');
    if (/provenance/i.test(text) && context.provenance)
        return definite('PROVENANCE_FAILED');
    return definite('PUBLISH_FAILED', `npm exited with code ${result.exitCode}; its output is in the "npm publish" group above.`);
}

// EXTERNAL MODULE: ./node_modules/semver/functions/gt.js
var gt = __webpack_require__(6599);
var gt_default = /*#__PURE__*/__webpack_require__.n(gt);
// EXTERNAL MODULE: ./node_modules/semver/functions/major.js
var major = __webpack_require__(8511);
var major_default = /*#__PURE__*/__webpack_require__.n(major);
// EXTERNAL MODULE: ./node_modules/semver/functions/prerelease.js
var prerelease = __webpack_require__(5714);
var prerelease_default = /*#__PURE__*/__webpack_require__.n(prerelease);
// EXTERNAL MODULE: ./node_modules/semver/functions/eq.js
var eq = __webpack_require__(5082);
var eq_default = /*#__PURE__*/__webpack_require__.n(eq);
// EXTERNAL MODULE: ./node_modules/semver/functions/diff.js
var diff = __webpack_require__(711);
var diff_default = /*#__PURE__*/__webpack_require__.n(diff);
;// CONCATENATED MODULE: ./src/plan.ts








/** Pure: what to do with `name@version`, given the registry's packument and the options. */
function planPublish(input) {
    const tag = input.tag ?? 'latest';
    const tags = input.packument?.['dist-tags'] ?? {};
    const oldVersion = tags[tag];
    const type = releaseType(oldVersion, input.version);
    const published = input.packument?.versions?.[input.version];
    if (published) {
        const integrity = published.dist?.integrity ?? '';
        return { action: 'compare', tag, oldVersion, type: 'same', published: integrity };
    }
    // A dist-tag that is not a version (hand-edited) cannot be compared: treat it as absent.
    const comparable = oldVersion !== undefined && valid_default()(oldVersion) !== null;
    if (input.strategy === 'upgrade' && comparable && !gt_default()(input.version, oldVersion)) {
        return {
            action: 'skip',
            tag,
            oldVersion,
            type,
            reason: `strategy "upgrade": ${input.version} is not greater than ${tag} (${oldVersion})`
        };
    }
    if (input.tag === undefined) {
        const latest = tags['latest'];
        if (latest && valid_default()(latest) && lt_default()(input.version, latest)) {
            throw new errors/* PublishError */.S1('TAG_REQUIRED', `${input.name}@${input.version} is lower than the current latest (${latest}); publishing it under "latest" would move latest backwards`, `Set \`tag\` to a name for this line (for example \`tag: v${major_default()(input.version)}-latest\`), or \`tag: latest\` if that is what you want.`);
        }
        if (prerelease_default()(input.version)) {
            throw new errors/* PublishError */.S1('TAG_REQUIRED', `${input.name}@${input.version} is a prerelease and no \`tag\` was chosen (npm refuses to put prereleases on "latest" implicitly)`, 'Set `tag` (for example `tag: next`), or `tag: latest` if that is what you want.');
        }
    }
    return { action: 'publish', tag, oldVersion, type };
}
/** `initial` (nothing under the tag yet), `same`, `lower`, or semver's diff (major, minor, patch, pre*). */
function releaseType(oldVersion, version) {
    if (!oldVersion || !valid_default()(oldVersion))
        return 'initial';
    if (eq_default()(version, oldVersion))
        return 'same';
    if (lt_default()(version, oldVersion))
        return 'lower';
    return diff_default()(oldVersion, version) ?? 'unknown';
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
var external_node_crypto_default = /*#__PURE__*/__webpack_require__.n(external_node_crypto_);
// EXTERNAL MODULE: ./node_modules/ipaddr.js/lib/ipaddr.js
var ipaddr = __webpack_require__(8280);
var ipaddr_default = /*#__PURE__*/__webpack_require__.n(ipaddr);
;// CONCATENATED MODULE: ./src/token-check.ts


const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Pure: the token's checks from what the registry said, the runner's address, the package and the clock. */
function judgeToken(input) {
    const alive = aliveCheck(input.whoami);
    const checks = [alive.check, detailsCheck(input.own)];
    if (input.own.kind === 'found') {
        const entry = input.own.entry;
        checks.push(revokedCheck(entry), expiryCheck(entry, input.now), writeCheck(entry), cidrCheck(entry, input.egress), scopeCheck(entry, input.packageName), twoFactorCheck(entry));
    }
    const failures = checks.filter((check) => check.status === 'fail');
    // A list-derived reason (revoked, expired, read-only, CIDR) says more than whoami's bare status.
    const failure = failures.find((check) => check.id !== 'alive') ?? failures[0];
    return { checks, user: alive.user, failure };
}
function aliveCheck(whoami) {
    const title = 'Token accepted (whoami)';
    const body = whoami.body;
    const username = typeof body?.username === 'string' && body.username ? body.username : undefined;
    if (whoami.status === 200 && username) {
        return {
            user: username,
            check: { id: 'alive', title, status: 'pass', detail: `user ${username}` }
        };
    }
    const ipBlocked = /ipaddress/i.test(whoami.headers['www-authenticate'] ?? '') ||
        /\b(ip address|EAUTHIP|cidr)\b/i.test(JSON.stringify(whoami.body ?? ''));
    if (ipBlocked) {
        return {
            check: {
                id: 'alive',
                title,
                status: 'fail',
                code: 'TOKEN_CIDR',
                detail: `HTTP ${whoami.status}: the registry refuses the token from this IP address`
            }
        };
    }
    const detail = whoami.status === 200
        ? 'the registry treats the token as anonymous: it is unknown, revoked or garbage'
        : whoami.status === 401
            ? 'HTTP 401: the token is unknown, expired or revoked'
            : whoami.status === 403
                ? 'HTTP 403: the registry refuses this token (revoked, or its allowed IP ranges exclude this runner)'
                : `HTTP ${whoami.status} from /-/whoami`;
    const definite = whoami.status === 200 || whoami.status === 401 || whoami.status === 403;
    return {
        check: {
            id: 'alive',
            title,
            status: definite ? 'fail' : 'warn',
            code: definite ? 'TOKEN_INVALID' : undefined,
            detail
        }
    };
}
function detailsCheck(own) {
    const title = 'Token details (token list)';
    switch (own.kind) {
        case 'found':
            return {
                id: 'details',
                title,
                status: 'pass',
                detail: `found ${own.entry.label} in the list`
            };
        case 'unavailable':
            return {
                id: 'details',
                title,
                status: 'warn',
                detail: `details unavailable (${own.reason}); whoami decides`
            };
        case 'not-found':
            return {
                id: 'details',
                title,
                status: 'warn',
                detail: `this token is not among the ${own.listed} listed${own.complete ? '' : ' (the list was cut at the page cap)'}; details unavailable, whoami decides`
            };
        case 'ambiguous':
            return {
                id: 'details',
                title,
                status: 'warn',
                detail: `${own.matches} listed tokens match this one and disagree; details unavailable, whoami decides`
            };
    }
}
function revokedCheck(entry) {
    const title = 'Not revoked';
    return entry.revoked
        ? {
            id: 'revoked',
            title,
            status: 'fail',
            code: 'TOKEN_INVALID',
            detail: 'the token is revoked'
        }
        : { id: 'revoked', title, status: 'pass', detail: 'active' };
}
function expiryCheck(entry, now) {
    const title = 'Not expired';
    const expiry = entry.expiry ? new Date(entry.expiry) : undefined;
    if (!expiry || Number.isNaN(expiry.getTime())) {
        return { id: 'expiry', title, status: 'pass', detail: 'no expiry listed' };
    }
    const date = expiry.toISOString().slice(0, 10);
    const left = expiry.getTime() - now.getTime();
    if (left <= 0) {
        return {
            id: 'expiry',
            title,
            status: 'fail',
            code: 'TOKEN_EXPIRED',
            detail: `expired on ${date}`
        };
    }
    const days = Math.floor(left / DAY_MS);
    if (days < EXPIRY_WARNING_DAYS) {
        return {
            id: 'expiry',
            title,
            status: 'warn',
            detail: `expires on ${date} (in ${days} day${days === 1 ? '' : 's'}): renew the token soon`
        };
    }
    return { id: 'expiry', title, status: 'pass', detail: `expires on ${date}` };
}
function writeCheck(entry) {
    const title = 'Can write';
    const fail = (detail) => ({
        id: 'write',
        title,
        status: 'fail',
        code: 'TOKEN_READONLY',
        detail
    });
    if (entry.readonly === true)
        return fail('the token is read-only');
    if (entry.permissions && !entry.permissions.some((p) => p.action === 'write')) {
        return fail('the token has no "write" permission');
    }
    return { id: 'write', title, status: 'pass', detail: 'read and write' };
}
function cidrCheck(entry, egress) {
    const title = 'Allowed IP ranges fit this runner';
    const ranges = entry.cidr ?? [];
    if (ranges.length === 0)
        return { id: 'cidr', title, status: 'pass', detail: 'no IP restriction' };
    if (!egress?.address) {
        return {
            id: 'cidr',
            title,
            status: 'warn',
            detail: `allowed ${ranges.join(', ')}; this runner's address is unknown (set \`egress-ip\`)`
        };
    }
    const fits = ranges.some((range) => addressInRange(egress.address, range));
    return fits
        ? { id: 'cidr', title, status: 'pass', detail: `${egress.address} is in ${ranges.join(', ')}` }
        : {
            id: 'cidr',
            title,
            status: 'fail',
            code: 'TOKEN_CIDR',
            detail: `${egress.address} (${egress.source}) is not in ${ranges.join(', ')}`
        };
}
/** CIDR (or bare address) membership, IPv4 and IPv6; IPv4-mapped IPv6 counts as IPv4. */
function addressInRange(address, range) {
    try {
        const ip = ipaddr_default().process(address);
        const [base, bits] = range.includes('/')
            ? ipaddr_default().parseCIDR(range.trim())
            : (() => {
                const single = ipaddr_default().process(range.trim());
                return [single, single.kind() === 'ipv4' ? 32 : 128];
            })();
        const network = base.kind() === 'ipv6' ? ipaddr_default().process(base.toString()) : base;
        const prefix = network.kind() !== base.kind() ? bits - 96 : bits;
        return ip.kind() === network.kind() && ip.match(network, prefix);
    }
    catch {
        return false; // an unparseable range admits nobody, as the registry treats it
    }
}
function scopeCheck(entry, packageName) {
    const title = 'Covers this package';
    const scopes = (entry.scopes ?? []).filter((scope) => scope.type !== 'org');
    if (!entry.scopes || entry.scopes.length === 0) {
        return { id: 'scope', title, status: 'pass', detail: 'not limited to packages' };
    }
    const scope = packageName.startsWith('@') ? packageName.split('/')[0] : undefined;
    const covered = scopes.some(({ name }) => {
        if (!name)
            return false;
        if (name === packageName)
            return true;
        return scope !== undefined && [scope, scope.slice(1), `${scope}/*`].includes(name);
    });
    const listed = entry.scopes.map((s) => s.name ?? '?').join(', ');
    return covered
        ? { id: 'scope', title, status: 'pass', detail: `${packageName} is covered` }
        : {
            id: 'scope',
            title,
            status: 'fail',
            code: 'TOKEN_SCOPE',
            detail: `${packageName} is not in the token's list (${listed})`
        };
}
function twoFactorCheck(entry) {
    const title = 'Bypasses 2FA for direct publish';
    if (entry.bypass2fa === false) {
        return {
            id: '2fa',
            title,
            status: 'warn',
            detail: 'bypass 2FA is off: a direct publish will ask for a one-time password (OTP_REQUIRED)'
        };
    }
    return {
        id: '2fa',
        title,
        status: 'pass',
        detail: entry.bypass2fa ? 'on' : 'not listed'
    };
}
/**
 * Finds this token's own entry: by `key === sha512hex(token)` (2017 docs), by the redacted form
 * `prefix...suffix` (npmjs 8+4, Verdaccio 5+5), or by the legacy 6-character prefix.
 */
function findOwnEntry(list, token) {
    if (list.kind === 'unavailable')
        return { kind: 'unavailable', reason: list.reason };
    const key = external_node_crypto_default().createHash('sha512').update(token).digest('hex');
    const matches = list.entries.filter((raw) => {
        const entry = raw;
        if (entry.key === key)
            return true;
        if (typeof entry.token !== 'string')
            return false;
        const shown = entry.token;
        const cut = shown.indexOf('...');
        if (cut >= 0) {
            const prefix = shown.slice(0, cut);
            const suffix = shown.slice(cut + 3);
            return (prefix.length + suffix.length >= 6 &&
                token.length > prefix.length + suffix.length &&
                token.startsWith(prefix) &&
                token.endsWith(suffix));
        }
        return shown.length >= 6 && token.startsWith(shown);
    });
    if (matches.length === 0) {
        return { kind: 'not-found', listed: list.entries.length, complete: list.complete };
    }
    const entries = matches.map(normaliseEntry);
    const distinct = new Set(entries.map((entry) => JSON.stringify({ ...entry, label: undefined })));
    if (distinct.size > 1)
        return { kind: 'ambiguous', matches: matches.length };
    return { kind: 'found', entry: entries[0] };
}
function normaliseEntry(raw) {
    const entry = (raw ?? {});
    const strings = (value) => Array.isArray(value) ? value.filter((v) => typeof v === 'string') : undefined;
    const objects = (value) => Array.isArray(value)
        ? value.filter((v) => typeof v === 'object' && v !== null)
        : undefined;
    // Only the entry's name: its redacted `token` still shows 8-12 characters of the secret.
    const name = typeof entry['name'] === 'string' && entry['name'] ? entry['name'] : undefined;
    const expiry = entry['expiry'] ?? entry['expires'];
    return {
        label: name ? `the token "${name}"` : 'this token',
        readonly: typeof entry['readonly'] === 'boolean' ? entry['readonly'] : undefined,
        cidr: strings(entry['cidr']) ?? strings(entry['cidr_whitelist']),
        expiry: typeof expiry === 'string' ? expiry : undefined,
        revoked: entry['revoked'] !== undefined && entry['revoked'] !== null && entry['revoked'] !== false,
        permissions: objects(entry['permissions']),
        scopes: objects(entry['scopes']),
        bypass2fa: typeof entry['bypass_2fa'] === 'boolean' ? entry['bypass_2fa'] : undefined
    };
}

;// CONCATENATED MODULE: ./src/release.ts










/** Lifecycle scripts in npm's order, split around the moment the credentials exist. */
const SCRIPTS_BEFORE = ['prepublishOnly', 'prepack', 'prepare'];
const SCRIPTS_AFTER = ['postpack', 'publish', 'postpublish'];
/** The rest of the run, once the preflight requests are out: judge, decide, publish, confirm. */
async function release(started, outcome) {
    const { options, manifest, auth, client } = started;
    const [verdict, packument] = await preflight(started);
    applyVerdict(verdict, options, outcome);
    if (options.stage)
        await checkStaging(manifest.name, packument);
    const plan = planPublish({
        name: manifest.name,
        version: manifest.version,
        tag: options.tag ?? manifest.publishConfig.tag,
        strategy: options.strategy,
        packument
    });
    outcome.tag = plan.tag;
    outcome.oldVersion = plan.oldVersion ?? '';
    outcome.type = plan.type;
    const scripts = new LifecycleScripts(manifest, options);
    if (plan.action === 'skip') {
        outcome.result = `Skipped: ${plan.reason}.`;
        return;
    }
    if (plan.action === 'compare') {
        await scripts.before();
        const ours = await localDigest(options, manifest.digest);
        outcome.integrity = ours.integrity;
        outcome.shasum = ours.shasum;
        confirmSameContent(manifest, ours, packument);
        outcome.result = `${manifest.name}@${manifest.version} is already published with identical content; nothing to do.`;
        return;
    }
    if (options.validateOnly) {
        outcome.result = `Validated: ${manifest.name}@${manifest.version} would be published under "${plan.tag}" (validate-only, nothing uploaded).`;
        return;
    }
    await scripts.before();
    const uploadStart = Date.now();
    const npm = await publishOnce(options, auth, manifest.name, plan.tag, outcome);
    if (npm.exitCode !== 0) {
        const upload = { tag: plan.tag, start: uploadStart };
        await recoverFailedPublish(npm, client, options, auth, manifest, upload, outcome);
    }
    if (outcome.published)
        await scripts.after();
    else if (options.dryRun) {
        outcome.result = `Dry run: ${manifest.name}@${manifest.version} packed and checked; nothing uploaded.`;
    }
}
/** The preflight's answers: the token verdict (if checked) and the packument. */
async function preflight(started) {
    const { options, requests } = started;
    const token = requests.token && checkToken(started, requests.token);
    const [verdict, packument] = await Promise.allSettled([token, requests.packument]);
    // A definite token failure explains a refused packument read better than the read itself.
    if (verdict.status === 'rejected')
        throw verdict.reason;
    if (packument.status === 'rejected') {
        if (verdict.value?.failure && options.tokenCheck === 'strict')
            return [verdict.value, undefined];
        throw packument.reason;
    }
    return [verdict.value, packument.value];
}
async function checkToken({ options, manifest, client }, answers) {
    const [whoami, list] = await answers;
    const own = findOwnEntry(list, options.token);
    const needsEgress = own.kind === 'found' && (own.entry.cidr?.length ?? 0) > 0;
    const egress = !needsEgress
        ? undefined
        : options.egressIp
            ? { address: options.egressIp, source: '`egress-ip` input' }
            : await client.egressAddress();
    return judgeToken({ whoami, own, egress, packageName: manifest.name, now: new Date() });
}
function applyVerdict(verdict, options, outcome) {
    if (!verdict) {
        outcome.tokenCheck = 'skipped';
        return;
    }
    outcome.checks = verdict.checks;
    outcome.tokenUser = verdict.user ?? '';
    for (const check of verdict.checks) {
        if (check.status === 'warn')
            workflow/* warning */.$e(`Token check: ${check.title}: ${check.detail}`);
    }
    if (!verdict.failure) {
        outcome.tokenCheck = verdict.checks.some((c) => c.status === 'warn') ? 'warned' : 'passed';
        return;
    }
    const { failure } = verdict;
    if (options.tokenCheck === 'strict') {
        outcome.tokenCheck = 'failed';
        throw new errors/* PublishError */.S1(failure.code ?? 'TOKEN_INVALID', `Token check failed before anything was uploaded: ${failure.title}: ${failure.detail}`);
    }
    outcome.tokenCheck = 'warned';
    for (const check of verdict.checks.filter((c) => c.status === 'fail')) {
        workflow/* warning */.$e(`[${check.code}] Token check: ${check.title}: ${check.detail} (token-check: warn, publishing anyway)`);
    }
}
async function localDigest(options, digest) {
    if (digest)
        return digest;
    return (0,credentials/* withNpmrc */.$7)(options.registry, '', undefined, (scratch) => (0,src_npm/* npmPackIntegrity */.M4)(options.packagePath, scratch.dir));
}
function confirmSameContent(manifest, ours, packument) {
    const dist = packument?.versions?.[manifest.version]?.dist ?? {};
    const same = dist.integrity ? dist.integrity === ours.integrity : dist.shasum === ours.shasum;
    if (!same) {
        throw new errors/* PublishError */.S1('VERSION_CONFLICT', `${manifest.name}@${manifest.version} is already published with different content (registry ${dist.integrity ?? dist.shasum ?? 'lists no integrity'}, ours ${ours.integrity})`);
    }
}
async function publishOnce(options, auth, name, tag, outcome) {
    const token = options.dryRun ? undefined : auth.token;
    const command = options.stage ? 'npm stage publish' : 'npm publish';
    const npm = await (0,credentials/* withNpmrc */.$7)(options.registry, name, token, (credentials) => (0,src_npm/* npmPublish */.XJ)({
        stage: options.stage,
        target: options.packagePath,
        tag,
        access: options.access,
        provenance: options.provenance,
        dryRun: options.dryRun,
        registry: options.registry
    }, credentials));
    workflow/* startGroup */.Oh(options.dryRun ? `${command} --dry-run` : command);
    if (npm.stdout.trim())
        workflow/* info */.pq(npm.stdout.trimEnd());
    if (npm.stderr.trim())
        workflow/* info */.pq(npm.stderr.trimEnd());
    workflow/* endGroup */.N4();
    if (npm.exitCode === 0) {
        const result = publishedResult(npm.json, name);
        outcome.integrity = result.integrity ?? outcome.integrity;
        outcome.shasum = result.shasum ?? outcome.shasum;
        if (options.stage && !options.dryRun) {
            outcome.stageId = result.stageId ?? '';
            outcome.result = `Staged ${name}@${outcome.version} for "${tag}"${outcome.stageId ? ` (stage ${outcome.stageId})` : ''}: approve it on the registry (npmjs.com → the package → Staged versions) or with \`npm stage approve ${outcome.stageId || '<stage-id>'}\`.`;
            return npm;
        }
        outcome.published = !options.dryRun;
        if (outcome.published) {
            outcome.id = `${name}@${outcome.version}`;
            outcome.result = `Published ${outcome.id} under "${tag}".`;
        }
    }
    return npm;
}
/** `npm publish --json` prints `{"<name>": {id, integrity, shasum, ...}}` (npm 11) or the bare object. */
function publishedResult(json, name) {
    const record = (json ?? {});
    const entry = (typeof record[name] === 'object' ? record[name] : record);
    const pick = (key) => typeof entry[key] === 'string' ? entry[key] : undefined;
    return {
        integrity: pick('integrity'),
        shasum: pick('shasum'),
        stageId: pick('stageId') ?? (typeof record['stageId'] === 'string' ? record['stageId'] : undefined)
    };
}
/**
 * After a failed publish: a definite error is thrown as is. An ambiguous one (timeout, reset, 5xx,
 * 409) may have landed: read the registry back; ours → success, someone else's → conflict, absent →
 * one more publish (never when the registry said the version exists).
 */
async function recoverFailedPublish(npm, client, options, auth, manifest, upload, outcome) {
    const { tag } = upload;
    const id = `${manifest.name}@${manifest.version}`;
    let failure = diagnosePublish(npm, {
        provenance: options.provenance,
        oidc: auth.method === 'oidc'
    });
    // A staged version is not in the packument, and a dry run uploads nothing: nothing to read back.
    const canReadBack = !options.dryRun && !options.stage;
    for (let attempt = 1; failure.kind === 'ambiguous' && canReadBack; attempt++) {
        workflow/* info */.pq(`The publish may or may not have landed (${failure.reason}); reading the registry back.`);
        // The registry or npm's read says the version exists: a lagging replica may not show it yet.
        const packument = await readBack(client, manifest, failure.exists ? 3 : 1);
        if (packument?.versions?.[manifest.version]) {
            const ours = await localDigest(options, manifest.digest);
            confirmSameContent(manifest, ours, packument);
            Object.assign(outcome, { integrity: ours.integrity, shasum: ours.shasum });
            if (versionOwner(failure, attempt, packument, manifest.version, upload.start) === 'earlier') {
                Object.assign(outcome, {
                    type: 'same',
                    result: `${id} is already published with identical content; nothing to do.`
                });
                return;
            }
            Object.assign(outcome, {
                published: true,
                id,
                result: `Published ${id} under "${tag}" (confirmed by reading the registry back after: ${failure.reason}).`
            });
            return;
        }
        if (failure.exists) {
            throw new errors/* PublishError */.S1('PUBLISH_FAILED', `npm reports ${id} as already published, but the registry does not show it to this token, so its content cannot be compared`, attempt === 1
                ? 'Nothing was uploaded by this run. If this re-runs a release that succeeded, the version is out; otherwise bump the version.'
                : "This run's first upload may have landed without showing yet: check the registry before re-running.");
        }
        if (attempt > 1)
            break;
        workflow/* info */.pq('The version is not on the registry: publishing once more.');
        // A rate limit answers the same to an immediate retry.
        if (/E429/.test(failure.reason))
            await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_PAUSE_MS));
        const retry = await publishOnce(options, auth, manifest.name, tag, outcome);
        if (retry.exitCode === 0)
            return;
        failure = diagnosePublish(retry, {
            provenance: options.provenance,
            oidc: auth.method === 'oidc'
        });
    }
    if (failure.kind === 'definite')
        throw failure.error;
    if (failure.exists) {
        // A staged or dry run: the version is there, and nothing is read back to compare it.
        throw new errors/* PublishError */.S1('PUBLISH_FAILED', `npm reports ${id} as already published`, 'A published version cannot be replaced or staged again: bump the version.');
    }
    throw new errors/* PublishError */.S1('PUBLISH_FAILED', `The publish failed and the version is not on the registry (${failure.reason})`, 'Nothing was published. Re-run the job; if it keeps failing, check the registry status.');
}
/**
 * Whose is the version a read-back found: this run's upload, or an earlier one? Refused as a
 * duplicate on this run's first attempt (by npm's own read, or by the registry, taken at its word:
 * a concurrent run is likelier than a replayed PUT) or dated before this run's upload → earlier.
 * On a retry, a duplicate is most likely this run's first upload.
 */
function versionOwner(failure, attempt, packument, version, uploadStart) {
    if (attempt === 1 && (failure.exists || failure.beforeUpload))
        return 'earlier';
    return publishedBefore(packument, version, uploadStart) ? 'earlier' : 'this run';
}
/** Clock skew allowed between the runner and the registry when dating a version. */
const CLOCK_SKEW_MS = 30_000;
/**
 * The registry dates the version (or, in an abbreviated packument, the package's last change)
 * before this run's upload began: it cannot be this run's upload, even one a proxy replayed.
 * Undated → false: the version is taken as ours, as it most likely is.
 */
function publishedBefore(packument, version, uploadStart) {
    const dated = Date.parse(packument.time?.[version] ?? packument.modified ?? '');
    return Number.isFinite(dated) && dated < uploadStart - CLOCK_SKEW_MS;
}
const STAGE_MIN_NPM = '11.15.0';
const RATE_LIMIT_PAUSE_MS = 5000;
const READ_BACK_PAUSE_MS = 1000;
/** Staged publishing adds a version to an existing package, with npm >= 11.15.0. */
async function checkStaging(name, packument) {
    if (!packument) {
        throw new errors/* PublishError */.S1('INPUT_INVALID', `stage: true, but ${name} does not exist on the registry yet and a first version cannot be staged`, 'Publish the first version directly (`stage: false`), then stage the next ones.');
    }
    const npm = await (0,src_npm.npmVersion)();
    if (!valid_default()(npm) || lt_default()(npm, STAGE_MIN_NPM)) {
        throw new errors/* PublishError */.S1('INPUT_INVALID', `stage: true needs npm >= ${STAGE_MIN_NPM} (npm stage publish); this runner has npm ${npm}`, 'Use actions/setup-node with `node-version: 24` and `npm install -g npm@11` before this step.');
    }
}
/** The packument, read up to `tries` times a second apart until it lists our version. */
async function readBack(client, manifest, tries) {
    let packument;
    for (let attempt = 1; attempt <= tries; attempt++) {
        if (attempt > 1)
            await new Promise((resolve) => setTimeout(resolve, READ_BACK_PAUSE_MS));
        packument = await client.packument(manifest.name);
        if (packument?.versions?.[manifest.version])
            break;
    }
    return packument;
}
/** Runs the package's lifecycle scripts outside the credentials' lifetime, each at most once. */
class LifecycleScripts {
    manifest;
    options;
    constructor(manifest, options) {
        this.manifest = manifest;
        this.options = options;
    }
    get enabled() {
        return !this.options.ignoreScripts && this.options.packageKind === 'directory';
    }
    /** The scripts npm runs before packing; then package.json is read again, as npm does. */
    async before() {
        if (!this.enabled || !(await this.run(SCRIPTS_BEFORE)))
            return;
        // A script may rewrite package.json: the checks hold for what npm will read now.
        const now = await (0,manifest/* readManifest */.WI)(this.options.packagePath, 'directory');
        if (now.name !== this.manifest.name || now.version !== this.manifest.version) {
            throw new errors/* PublishError */.S1('PACKAGE_INVALID', `A lifecycle script changed package.json from ${this.manifest.name}@${this.manifest.version} to ${now.name}@${now.version}`, 'Set the version before this step (the checks ran against the old one), or set `ignore-scripts: true`.');
        }
    }
    async after() {
        if (this.enabled)
            await this.run(SCRIPTS_AFTER);
    }
    /** Runs those of `names` the package has; says whether any ran. */
    async run(names) {
        let ran = false;
        for (const name of names) {
            if (this.manifest.scripts[name] === undefined)
                continue;
            ran = true;
            workflow/* startGroup */.Oh(`npm run ${name}`);
            try {
                await (0,src_npm/* npmRunScript */.kV)(this.options.packagePath, name);
            }
            finally {
                workflow/* endGroup */.N4();
            }
        }
        return ran;
    }
}


/***/ })

};

//# sourceMappingURL=584.index.js.map