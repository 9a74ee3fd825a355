import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ // The require scope
/******/ var __nccwpck_require__ = {};
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
var external_node_fs_default = /*#__PURE__*/__nccwpck_require__.n(external_node_fs_namespaceObject);
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
var external_node_os_default = /*#__PURE__*/__nccwpck_require__.n(external_node_os_namespaceObject);
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_namespaceObject);
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
    const root = external_node_path_default().resolve(tempRoot());
    const dir = external_node_path_default().resolve(saved);
    if (external_node_path_default().dirname(dir) !== root || !external_node_path_default().basename(dir).startsWith(DIR_PREFIX))
        return 'refused';
    if (!external_node_fs_default().existsSync(dir))
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

;// CONCATENATED MODULE: ./src/workflow.ts


/**
 * The runner's workflow commands, in the exact formats of @actions/core (a test holds them to it).
 * The action writes them itself because loading @actions/core pulls its HTTP client and undici
 * into every run — about 50 ms of start-up for two dozen lines of protocol. @actions/core is still
 * used, loaded lazily, where it does real work (requesting an OIDC ID token).
 */
/** `INPUT_<NAME>` as the runner sets it (spaces → `_`, upper case); not trimmed. */
function getInput(name) {
    return process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
}
/** Masks, in one write to stdout. */
function setSecrets(secrets) {
    process.stdout.write(secrets.map((secret) => commandLine('add-mask', {}, secret)).join(''));
}
function info(message) {
    process.stdout.write(`${message}${(external_node_os_default()).EOL}`);
}
function warning(message) {
    command('warning', {}, message);
}
/** The failure annotation, and a failing exit code (set, not exited: stdout must drain). */
function setFailed(message) {
    process.exitCode = 1;
    command('error', {}, message);
}
function startGroup(name) {
    command('group', {}, name);
}
function endGroup() {
    command('endgroup', {}, '');
}
/** Outputs, in one append to the output file (one write, not one per output). */
function setOutputs(values) {
    if (process.env['GITHUB_OUTPUT']) {
        appendEntries('GITHUB_OUTPUT', Object.entries(values));
        return;
    }
    for (const [name, value] of Object.entries(values)) {
        process.stdout.write(os.EOL);
        command('set-output', { name }, value);
    }
}
function saveState(name, value) {
    if (process.env['GITHUB_STATE'])
        appendEntries('GITHUB_STATE', [[name, value]]);
    else
        command('save-state', { name }, value);
}
/** Appends markdown to the job summary; no summary file (outside a runner) → nothing. */
function appendSummary(markdown) {
    const file = process.env['GITHUB_STEP_SUMMARY'];
    if (file)
        fs.appendFileSync(file, markdown, { encoding: 'utf8' });
}
function command(name, properties, message) {
    process.stdout.write(commandLine(name, properties, message));
}
function commandLine(name, properties, message) {
    const props = Object.entries(properties)
        .map(([key, value]) => `${key}=${escapeProperty(value)}`)
        .join(',');
    return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${(external_node_os_default()).EOL}`;
}
/** `name<<delimiter` heredocs, appended to a file command in one write. */
function appendEntries(fileVariable, entries) {
    const file = process.env[fileVariable];
    fs.appendFileSync(file, entries.map(([name, value]) => heredoc(name, value)).join(''), {
        encoding: 'utf8'
    });
}
function heredoc(name, value) {
    const delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`Unexpected input: the value of ${name} contains the delimiter ${delimiter}`);
    }
    return `${name}<<${delimiter}${os.EOL}${value}${os.EOL}${delimiter}${os.EOL}`;
}
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

;// CONCATENATED MODULE: ./src/post.ts



/** Post step (`post-if: always()`): remove whatever main left, even after a SIGKILL. Only warns. */
function post() {
    const dir = savedCredentialsDir();
    try {
        const outcome = scrubLeftovers(dir);
        if (outcome === 'removed')
            info(`Removed leftover credentials directory ${dir}`);
        if (outcome === 'refused')
            warning(`Not removing ${dir}: it is not a credentials directory of this action`);
    }
    catch (error) {
        warning(`Could not remove ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

;// CONCATENATED MODULE: ./src/post-step.ts

// The post step (`post-if: always()`): its own bundle, so it loads only what scrubbing needs.
post();


//# sourceMappingURL=index.js.map