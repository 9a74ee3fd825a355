export const id = 210;
export const ids = [210];
export const modules = {

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


/***/ })

};

//# sourceMappingURL=210.index.js.map