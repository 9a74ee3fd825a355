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


/** Post step (`post-if: always()`): remove whatever main left, even after a SIGKILL. Only warns. */
function post() {
    const dir = (0,_state_js__WEBPACK_IMPORTED_MODULE_1__/* .savedCredentialsDir */ .vr)();
    try {
        const outcome = (0,_scrub_js__WEBPACK_IMPORTED_MODULE_0__/* .scrubLeftovers */ .E7)(dir);
        if (outcome === 'removed')
            console.log(`Removed leftover credentials directory ${dir}`);
        if (outcome === 'refused')
            warn(`Not removing ${dir}: it is not a credentials directory of this action`);
    }
    catch (error) {
        warn(`Could not remove ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
}
/** A `::warning::` workflow command, escaped as @actions/core does (not loaded here: post stays fast). */
function warn(message) {
    const data = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    process.stdout.write(`::warning::${data}\n`);
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
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().rmSync(dir, { recursive: true, force: true });
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


/***/ })

};

//# sourceMappingURL=661.index.js.map