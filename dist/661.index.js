export const id = 661;
export const ids = [661];
export const modules = {

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _scrub_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2056);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2462);
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2986);



/** Post step (`post-if: always()`): remove whatever main left, even after a SIGKILL. Only warns. */
function post() {
    const dir = (0,_state_js__WEBPACK_IMPORTED_MODULE_1__/* .savedCredentialsDir */ .vr)();
    try {
        const outcome = (0,_scrub_js__WEBPACK_IMPORTED_MODULE_0__/* .scrubLeftovers */ .E7)(dir);
        if (outcome === 'removed')
            (0,_workflow_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Removed leftover credentials directory ${dir}`);
        if (outcome === 'refused')
            (0,_workflow_js__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e)(`Not removing ${dir}: it is not a credentials directory of this action`);
    }
    catch (error) {
        (0,_workflow_js__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e)(`Could not remove ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
}


/***/ }),

/***/ 2056:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E7: () => (/* binding */ scrubLeftovers),
/* harmony export */   _I: () => (/* binding */ scrub),
/* harmony export */   fQ: () => (/* binding */ tempRoot),
/* harmony export */   v3: () => (/* binding */ DIR_PREFIX)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



/** Private directories are named so; the post step removes nothing else. */
const DIR_PREFIX = 'npm-automation-publish-';
/** Where private directories are made: the runner's per-job temp dir, never the workspace or ~. */
function tempRoot() {
    return process.env['RUNNER_TEMP'] || node_os__WEBPACK_IMPORTED_MODULE_1___default().tmpdir();
}
/** Overwrites the .npmrc, then removes the whole private dir (npm's logs and cache with it). */
function scrub(dir) {
    const npmrc = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, '.npmrc');
    try {
        const { size } = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(npmrc);
        node_fs__WEBPACK_IMPORTED_MODULE_0___default().writeFileSync(npmrc, Buffer.alloc(size));
    }
    catch {
        // already gone
    }
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
/**
 * Post-step backstop: removes the directory main saved, only if it is one of ours under the temp
 * root (the state value is never trusted to point anywhere else). Returns what happened.
 */
function scrubLeftovers(saved) {
    if (!saved)
        return 'none';
    const root = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(tempRoot());
    const dir = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(saved);
    if (node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(dir) !== root || !node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(dir).startsWith(DIR_PREFIX))
        return 'refused';
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(dir))
        return 'clean';
    scrub(dir);
    return 'removed';
}


/***/ }),

/***/ 2986:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   N4: () => (/* binding */ endGroup),
/* harmony export */   Oh: () => (/* binding */ startGroup),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   fe: () => (/* binding */ appendSummary),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   uH: () => (/* binding */ setOutput)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);



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
function setSecret(secret) {
    command('add-mask', {}, secret);
}
function info(message) {
    process.stdout.write(`${message}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}`);
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
function setOutput(name, value) {
    if (process.env['GITHUB_OUTPUT'])
        keyValue('GITHUB_OUTPUT', name, value);
    else {
        process.stdout.write((node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL));
        command('set-output', { name }, value);
    }
}
function saveState(name, value) {
    if (process.env['GITHUB_STATE'])
        keyValue('GITHUB_STATE', name, value);
    else
        command('save-state', { name }, value);
}
/** Appends markdown to the job summary; no summary file (outside a runner) → nothing. */
function appendSummary(markdown) {
    const file = process.env['GITHUB_STEP_SUMMARY'];
    if (file)
        node_fs__WEBPACK_IMPORTED_MODULE_1___default().appendFileSync(file, markdown, { encoding: 'utf8' });
}
function command(name, properties, message) {
    const props = Object.entries(properties)
        .map(([key, value]) => `${key}=${escapeProperty(value)}`)
        .join(',');
    process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}`);
}
/** A `name<<delimiter` heredoc appended to a file command. */
function keyValue(fileVariable, name, value) {
    const file = process.env[fileVariable];
    const delimiter = `ghadelimiter_${node_crypto__WEBPACK_IMPORTED_MODULE_0___default().randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`Unexpected input: the value of ${name} contains the delimiter ${delimiter}`);
    }
    const entry = `${name}<<${delimiter}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}${value}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}${delimiter}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}`;
    node_fs__WEBPACK_IMPORTED_MODULE_1___default().appendFileSync(file, entry, { encoding: 'utf8' });
}
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}


/***/ })

};

//# sourceMappingURL=661.index.js.map