export const id = 289;
export const ids = [289];
export const modules = {

/***/ 2289:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readTarball: () => (/* binding */ readTarball)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);






/**
 * Streams a .tgz once: hashes the file (sha512 + sha1, as the registry's `dist` does) and picks the
 * top-level `package.json` out of the tar stream. Never holds the whole tarball in memory.
 */
async function readTarball(file) {
    const sha512 = node_crypto__WEBPACK_IMPORTED_MODULE_0___default().createHash('sha512');
    const sha1 = node_crypto__WEBPACK_IMPORTED_MODULE_0___default().createHash('sha1');
    const tar = new TarManifestReader();
    const source = node_fs__WEBPACK_IMPORTED_MODULE_1___default().createReadStream(file);
    source.on('data', (chunk) => {
        sha512.update(chunk);
        sha1.update(chunk);
    });
    try {
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_2__.pipeline)(source, node_zlib__WEBPACK_IMPORTED_MODULE_4___default().createGunzip(), tar);
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .PublishError */ .S1('PACKAGE_INVALID', `Cannot read ${file} as a .tgz: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(error)}`);
    }
    if (tar.manifest === undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .PublishError */ .S1('PACKAGE_INVALID', `${file} holds no package/package.json`);
    }
    return {
        manifestText: tar.manifest,
        digest: { integrity: `sha512-${sha512.digest('base64')}`, shasum: sha1.digest('hex') }
    };
}
/** A minimal tar (ustar) reader that keeps only `<top dir>/package.json`, as npm reads it. */
class TarManifestReader extends node_stream__WEBPACK_IMPORTED_MODULE_3__.Writable {
    manifest;
    buffered = Buffer.alloc(0);
    remaining = 0;
    padding = 0;
    capture;
    _write(chunk, _encoding, done) {
        try {
            this.consume(chunk);
            done();
        }
        catch (error) {
            done(error);
        }
    }
    consume(chunk) {
        let data = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
        while (data.length) {
            if (this.remaining > 0) {
                const take = Math.min(this.remaining, data.length);
                this.capture?.push(data.subarray(0, take));
                this.remaining -= take;
                data = data.subarray(take);
                if (this.remaining === 0 && this.capture) {
                    this.manifest ??= Buffer.concat(this.capture).toString('utf8');
                    this.capture = undefined;
                }
                continue;
            }
            if (this.padding > 0) {
                const skip = Math.min(this.padding, data.length);
                this.padding -= skip;
                data = data.subarray(skip);
                continue;
            }
            if (data.length < 512)
                break;
            this.header(data.subarray(0, 512));
            data = data.subarray(512);
        }
        this.buffered = Buffer.from(data);
    }
    header(block) {
        if (block.every((byte) => byte === 0))
            return;
        const field = (start, length) => block
            .subarray(start, start + length)
            .toString('utf8')
            .replace(/\0.*$/s, '');
        const size = parseInt(field(124, 12).trim() || '0', 8);
        const name = [field(345, 155), field(0, 100)].filter(Boolean).join('/');
        const type = field(156, 1);
        this.remaining = size;
        this.padding = (512 - (size % 512)) % 512;
        const isFile = type === '' || type === '0';
        if (isFile && /^[^/]+\/package\.json$/.test(name) && this.manifest === undefined) {
            this.capture = [];
            if (size === 0) {
                this.manifest = '';
                this.capture = undefined;
            }
        }
    }
}


/***/ })

};

//# sourceMappingURL=289.index.js.map