export const id = 2;
export const ids = [2];
export const modules = {

/***/ 4002:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./src/workflow.ts
var workflow = __webpack_require__(2986);
;// CONCATENATED MODULE: ./src/errors.ts
/**
 * Every failure the action reports carries one of these stable codes. The text is the default
 * remedy; a thrower may give a more specific one.
 */
const ERROR_CODES = {
    INPUT_INVALID: 'Check the inputs of this step against the README.',
    REGISTRY_INSECURE: 'Use an https:// registry URL without credentials, query or fragment (plain http is allowed for loopback hosts only).',
    TOKEN_MALFORMED: 'Store the token as a secret holding exactly the token, with no spaces or line breaks inside it.',
    TOKEN_INVALID: 'The registry does not accept this token: create a new granular access token with write access and update the secret.',
    TOKEN_EXPIRED: 'Create a new token (write tokens last at most 90 days) and update the secret.',
    TOKEN_READONLY: 'This token can only read: create a token with "Read and write" permission for this package.',
    TOKEN_CIDR: "The token's allowed IP ranges do not contain this runner's address: widen the ranges, use a runner with a static IP, or switch to trusted publishing.",
    TOKEN_SCOPE: "The token's package list does not cover this package: add the package or its scope to the token.",
    OTP_REQUIRED: 'The registry asks for a one-time password: use a granular token with "Bypass 2FA" enabled, or trusted publishing.',
    PUBLISH_FORBIDDEN: "The registry refused the upload: check that the token may publish this package (npmjs answers 404 when the token cannot write it: check the token's package list and org access).",
    VERSION_CONFLICT: 'This version is already published with different content: bump the version in package.json.',
    TAG_REQUIRED: 'The version is lower than the current "latest": set the `tag` input (for example `tag: legacy`), or `tag: latest` to move latest back on purpose.',
    PROVENANCE_FAILED: 'Provenance needs a GitHub-hosted runner and `permissions: id-token: write`: grant it, or set `provenance: false`.',
    PACKAGE_INVALID: 'Point `package` at a directory with a valid package.json, or at a .tgz made by `npm pack`.',
    REGISTRY_UNREACHABLE: 'The registry could not be reached: check the `registry` URL, the network and the registry status, then re-run.',
    OIDC_UNAVAILABLE: 'Trusted publishing needs `permissions: id-token: write`, a GitHub-hosted runner and npm >= 11.5.1.',
    OIDC_REJECTED: 'The registry refused the ID token: configure a trusted publisher for this package and workflow on the registry.',
    PUBLISH_FAILED: "npm could not publish the package: see npm's message above."
};
/** A failure with a stable code, a message that says what went wrong, and a hint that says what to do. */
class PublishError extends Error {
    code;
    hint;
    constructor(code, message, hint) {
        super(message);
        this.name = 'PublishError';
        this.code = code;
        this.hint = hint ?? ERROR_CODES[code];
    }
    /** `[CODE] message. hint` — the one line shown in the failure annotation. */
    get report() {
        const sentence = /[.!?]$/.test(this.message) ? this.message : `${this.message}.`;
        return `[${this.code}] ${sentence} ${this.hint}`;
    }
}
function isPublishError(error) {
    return error instanceof Error && error.name === 'PublishError' && 'code' in error;
}
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/ipaddr.js/lib/ipaddr.js
var ipaddr = __webpack_require__(8280);
var ipaddr_default = /*#__PURE__*/__webpack_require__.n(ipaddr);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
;// CONCATENATED MODULE: ./src/secrets.ts

/**
 * The forms a secret can leak in that a plain substring mask misses: URL-encoded, and base64 at each
 * of the three byte alignments it can take inside a longer encoded string (`user:token`,
 * `_authToken=token`, `token\n`...). For an alignment, only the base64 characters that depend on the
 * secret alone are kept, so the form is found whatever bytes stand before and after it.
 */
function secretForms(secret) {
    const forms = new Set([secret, encodeURIComponent(secret)]);
    const bytes = Buffer.from(secret, 'utf8');
    for (let shift = 0; shift < 3; shift++) {
        const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
        // A base64 character holds 6 bits: keep those whose bits all come from the secret's bytes.
        const start = Math.ceil((shift * 8) / 6);
        const stableEnd = Math.floor(((shift + bytes.length) * 8) / 6);
        const stable = encoded.slice(start, Math.max(start, stableEnd));
        if (stable.length >= 8)
            forms.add(stable);
    }
    forms.add(Buffer.from(secret).toString('base64'));
    forms.add(Buffer.from(`:${secret}`).toString('base64'));
    return [...forms].filter((form) => form.length > 0);
}
/** Register a secret and its derived forms with the runner's log masker, before anything prints. */
function maskSecret(secret) {
    for (const form of secretForms(secret))
        workflow/* setSecret */.Pq(form);
}

;// CONCATENATED MODULE: ./src/inputs.ts







const readInput = (name) => workflow/* getInput */.V4(name);
/** Reads every input; masks the token before anything else happens. */
function getOptions(read = readInput) {
    const optional = (name) => read(name).trim() || undefined;
    const auth = oneOf('auth', optional('auth'), ['token', 'oidc', 'auto']) ?? 'token';
    // Trusted publishing needs no token; an empty one is fine there.
    const token = auth === 'oidc' && !read('token').trim() ? '' : readToken(read('token'));
    return {
        auth,
        stage: parseBoolean('stage', optional('stage')),
        token,
        registry: parseRegistry(optional('registry') ?? 'https://registry.npmjs.org/'),
        ...resolvePackage(optional('package') ?? '.'),
        tag: parseTag(optional('tag')),
        access: oneOf('access', optional('access'), ['public', 'restricted']),
        provenance: parseBoolean('provenance', optional('provenance')),
        dryRun: parseBoolean('dry-run', optional('dry-run')),
        strategy: oneOf('strategy', optional('strategy'), ['all', 'upgrade']) ?? 'all',
        ignoreScripts: parseBoolean('ignore-scripts', optional('ignore-scripts')),
        tokenCheck: oneOf('token-check', optional('token-check'), ['strict', 'warn', 'off']) ?? 'strict',
        egressIp: parseAddress(optional('egress-ip')),
        validateOnly: parseBoolean('validate-only', optional('validate-only'))
    };
}
/** Masks the raw value first (so even a rejected token never prints), then checks its shape. */
function readToken(raw) {
    const token = raw.trim();
    if (token)
        maskSecret(token);
    // The runner masks line by line: a secret split by a line break must be masked in parts.
    if (/[\r\n]/.test(token)) {
        for (const line of token.split(/[\r\n]+/))
            if (line.trim())
                maskSecret(line.trim());
    }
    if (!token) {
        throw new PublishError('TOKEN_MALFORMED', 'The `token` input is empty', emptyTokenHint);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\s\x00-\x1f\x7f]/.test(token)) {
        throw new PublishError('TOKEN_MALFORMED', 'The token holds whitespace, a line break or a control character inside it');
    }
    return token;
}
const emptyTokenHint = 'Pass `token: ${{ secrets.NPM_TOKEN }}` and check that the secret exists and is available to this workflow (secrets are not passed to workflows run from forks).';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
function isLoopbackHost(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '');
    if (LOOPBACK_HOSTS.has(hostname) || host === 'localhost')
        return true;
    return ipaddr_default().isValid(host) && ipaddr_default().process(host).range() === 'loopback';
}
function parseRegistry(value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new PublishError('INPUT_INVALID', `\`registry\` is not a URL: "${value}"`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new PublishError('INPUT_INVALID', `\`registry\` must be an http(s) URL, not ${url.protocol}`);
    }
    if (url.username || url.password) {
        throw new PublishError('REGISTRY_INSECURE', '`registry` holds credentials in the URL', 'Remove the user and password from the URL: the token input is the only credential the action sends.');
    }
    if (url.search || value.includes('?')) {
        throw new PublishError('REGISTRY_INSECURE', '`registry` holds a query string');
    }
    if (url.hash)
        throw new PublishError('INPUT_INVALID', '`registry` holds a #fragment');
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
        throw new PublishError('REGISTRY_INSECURE', `\`registry\` uses plain http to ${url.host}, which would send the token unencrypted`);
    }
    if (!url.pathname.endsWith('/'))
        url.pathname += '/';
    return url;
}
function resolvePackage(value) {
    const base = process.env['GITHUB_WORKSPACE'] || process.cwd();
    const target = external_node_path_default().resolve(base, value);
    let stat;
    try {
        stat = external_node_fs_default().statSync(target);
    }
    catch {
        throw new PublishError('INPUT_INVALID', `\`package\` does not exist: ${target}`);
    }
    if (stat.isDirectory())
        return { packagePath: target, packageKind: 'directory' };
    if (external_node_path_default().basename(target) === 'package.json') {
        return { packagePath: external_node_path_default().dirname(target), packageKind: 'directory' };
    }
    if (/\.(tgz|tar\.gz)$/.test(target))
        return { packagePath: target, packageKind: 'tarball' };
    throw new PublishError('INPUT_INVALID', `\`package\` must be a directory, a package.json or a .tgz: ${target}`);
}
function parseTag(value) {
    if (value === undefined)
        return undefined;
    if (/[\s/%]/.test(value)) {
        throw new PublishError('INPUT_INVALID', `\`tag\` "${value}" holds a space, "/" or "%"`);
    }
    if (semver_default().validRange(value) !== null) {
        throw new PublishError('INPUT_INVALID', `\`tag\` "${value}" reads as a version range, which npm refuses as a dist-tag`, 'Use a name such as `next`, `legacy` or `v2-latest`.');
    }
    return value;
}
function oneOf(name, value, allowed) {
    if (value === undefined)
        return undefined;
    const lower = value.toLowerCase();
    const match = allowed.find((candidate) => candidate === lower);
    if (!match) {
        throw new PublishError('INPUT_INVALID', `\`${name}\` must be one of ${allowed.join(', ')}; got "${value}"`);
    }
    return match;
}
function parseBoolean(name, value) {
    if (value === undefined)
        return false;
    const parsed = oneOf(name, value, ['true', 'false']);
    return parsed === 'true';
}
function parseAddress(value) {
    if (value === undefined)
        return undefined;
    if (!ipaddr_default().isValid(value)) {
        throw new PublishError('INPUT_INVALID', `\`egress-ip\` is not an IP address: "${value}"`);
    }
    return ipaddr_default().process(value).toString();
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
var external_node_crypto_default = /*#__PURE__*/__webpack_require__.n(external_node_crypto_);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
var external_node_zlib_default = /*#__PURE__*/__webpack_require__.n(external_node_zlib_);
;// CONCATENATED MODULE: ./src/manifest.ts








async function readManifest(packagePath, kind) {
    if (kind === 'directory') {
        const file = external_node_path_default().join(packagePath, 'package.json');
        let text;
        try {
            text = await external_node_fs_default().promises.readFile(file, 'utf8');
        }
        catch {
            throw new PublishError('PACKAGE_INVALID', `No package.json in ${packagePath}`);
        }
        return validateManifest(parseJson(text, file), file);
    }
    const { manifestText, digest } = await readTarball(packagePath);
    return { ...validateManifest(parseJson(manifestText, packagePath), packagePath), digest };
}
function parseJson(text, where) {
    try {
        return JSON.parse(text);
    }
    catch (error) {
        throw new PublishError('PACKAGE_INVALID', `${where} is not valid JSON: ${errorMessage(error)}`);
    }
}
function validateManifest(data, where) {
    const json = (typeof data === 'object' && data !== null ? data : {});
    const { name, version } = json;
    if (typeof name !== 'string' ||
        !/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)) {
        throw new PublishError('PACKAGE_INVALID', `${where} has no valid "name"`);
    }
    if (typeof version !== 'string' || semver_default().valid(version) === null) {
        throw new PublishError('PACKAGE_INVALID', `${where} has no valid semver "version"`);
    }
    if (json['private'] === true) {
        throw new PublishError('PACKAGE_INVALID', `${name} is marked "private": true in ${where}, so npm refuses to publish it`, 'Remove "private": true from package.json, or point `package` at the package you meant.');
    }
    const scripts = isRecord(json['scripts']) ? json['scripts'] : {};
    const config = isRecord(json['publishConfig']) ? json['publishConfig'] : {};
    const unsafe = Object.keys(config).filter((key) => UNSAFE_PUBLISH_CONFIG.test(key));
    if (unsafe.length) {
        throw new PublishError('PACKAGE_INVALID', `${where} sets publishConfig ${unsafe.map((key) => `"${key}"`).join(', ')}, which npm would apply to the upload (it could route the token through another proxy, certificate or registry)`, 'Remove these keys from publishConfig; set proxies and certificates on the runner, and the registry with the `registry` input.');
    }
    return {
        name,
        version: semver_default().clean(version) ?? version,
        scripts: Object.fromEntries(Object.entries(scripts).filter((entry) => typeof entry[1] === 'string')),
        publishConfig: {
            access: typeof config['access'] === 'string' ? config['access'] : undefined,
            tag: typeof config['tag'] === 'string' ? config['tag'] : undefined
        },
        repository: repositoryOf(json['repository'])
    };
}
/**
 * npm applies every publishConfig key as config for the publish. These change where the request
 * goes, how TLS is checked, or which credential is sent: a package must not choose them.
 * (`registry` is safe: the action's `--registry` on the command line wins over it.)
 */
const UNSAFE_PUBLISH_CONFIG = /^(.*proxy|ca|cafile|cert|key|strict-ssl|local-address|dns-?.*|userconfig|globalconfig|_auth.*|.*token.*|.*password.*|username|email|otp|always-auth|@.*:registry|\/\/.*|replace-registry-host|maxsockets|fetch-.*)$/i;
function repositoryOf(value) {
    if (typeof value === 'string')
        return value;
    return isRecord(value) && typeof value['url'] === 'string' ? value['url'] : undefined;
}
/** `owner/repo` of a GitHub repository URL in any npm spelling, else undefined. */
function githubRepository(repository) {
    if (!repository)
        return undefined;
    const match = /^(?:github:)?([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(repository) ??
        /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(repository);
    return match?.[1];
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/**
 * Streams a .tgz once: hashes the file (sha512 + sha1, as the registry's `dist` does) and picks the
 * top-level `package.json` out of the tar stream. Never holds the whole tarball in memory.
 */
async function readTarball(file) {
    const sha512 = external_node_crypto_default().createHash('sha512');
    const sha1 = external_node_crypto_default().createHash('sha1');
    const tar = new TarManifestReader();
    const source = external_node_fs_default().createReadStream(file);
    source.on('data', (chunk) => {
        sha512.update(chunk);
        sha1.update(chunk);
    });
    try {
        await (0,promises_.pipeline)(source, external_node_zlib_default().createGunzip(), tar);
    }
    catch (error) {
        throw new PublishError('PACKAGE_INVALID', `Cannot read ${file} as a .tgz: ${errorMessage(error)}`);
    }
    if (tar.manifest === undefined) {
        throw new PublishError('PACKAGE_INVALID', `${file} holds no package/package.json`);
    }
    return {
        manifestText: tar.manifest,
        digest: { integrity: `sha512-${sha512.digest('base64')}`, shasum: sha1.digest('hex') }
    };
}
/** A minimal tar (ustar) reader that keeps only `<top dir>/package.json`, as npm reads it. */
class TarManifestReader extends external_node_stream_.Writable {
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

// EXTERNAL MODULE: ./src/scrub.ts
var scrub = __webpack_require__(2056);
// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
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
    const dir = external_node_fs_default().mkdtempSync(external_node_path_default().join((0,scrub/* tempRoot */.fQ)(), scrub/* DIR_PREFIX */.v3));
    external_node_fs_default().chmodSync(dir, 0o700);
    workflow/* saveState */.LZ(state/* STATE */.c4.credentialsDir, dir); // before anything token-related exists, so the post step can find it
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
        (0,scrub/* scrub */._I)(dir);
    }
    catch (error) {
        workflow/* warning */.$e(`Could not remove ${dir} yet (${errorMessage(error)}); the post step removes it.`);
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
;// CONCATENATED MODULE: ./src/registry.ts




const DEFAULT_RETRY = {
    attempts: 4,
    baseDelayMs: 300,
    budgetMs: 20_000,
    timeoutMs: 10_000
};
/**
 * The retry policy, with one override: `NPM_AUTOMATION_PUBLISH_TIMEOUT_MS` (undocumented; for the
 * tests, which would otherwise wait 20 s for a stalled registry) sets the per-attempt timeout, and
 * the budget becomes twice that. Unset or not a positive integer → DEFAULT_RETRY.
 */
function retryPolicy(env = process.env) {
    const raw = env['NPM_AUTOMATION_PUBLISH_TIMEOUT_MS']?.trim();
    const timeoutMs = raw && /^\d+$/.test(raw) ? Number(raw) : 0;
    if (timeoutMs <= 0)
        return DEFAULT_RETRY;
    return { ...DEFAULT_RETRY, timeoutMs, budgetMs: 2 * timeoutMs };
}
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/**
 * Every request the action makes to the registry, over one keep-alive agent (node:http(s): no
 * HTTP library to load on the critical path). GETs may be retried; the one POST is not.
 */
class RegistryClient {
    registry;
    token;
    retry;
    sleep;
    agent;
    /** Addresses of the last socket opened to the registry: what the registry sees, unless there is NAT. */
    socketAddresses;
    /** Behind a proxy the socket's addresses say nothing about what the registry sees. */
    proxied;
    constructor(registry, token, retry = retryPolicy(), sleep = delay) {
        this.registry = registry;
        this.token = token;
        this.retry = retry;
        this.sleep = sleep;
        const Agent = registry.protocol === 'https:' ? (external_node_https_default()).Agent : (external_node_http_default()).Agent;
        // HTTPS_PROXY / HTTP_PROXY / NO_PROXY as npm honours them (Node >= 24.5 built-in support).
        this.agent = new Agent({ keepAlive: true, maxSockets: 4, proxyEnv: process.env });
        this.proxied = PROXY_VARIABLES.some((name) => process.env[name]);
    }
    close() {
        this.agent.destroy();
        return Promise.resolve();
    }
    /** `GET /-/whoami` with the token. */
    whoami() {
        return this.get(this.url('-/whoami'), { auth: true });
    }
    /** The token list, page after page (`urls.next`), capped; "unavailable" when the registry refuses it. */
    async tokenList(maxPages = 20) {
        const entries = [];
        const seen = new Set();
        let next = this.url('-/npm/v1/tokens?perPage=100');
        let pages = 0;
        const deadline = Date.now() + this.retry.budgetMs; // for all pages together
        while (next && pages < maxPages && !seen.has(next.href)) {
            seen.add(next.href);
            let page;
            try {
                page = await this.get(next, { auth: true, deadline });
            }
            catch (error) {
                // Best effort: a list that keeps failing (5xx, timeouts) leaves the verdict to whoami.
                return { kind: 'unavailable', reason: errorMessage(error) };
            }
            if (page.status !== 200) {
                return { kind: 'unavailable', status: page.status, reason: describeStatus(page) };
            }
            const body = page.body;
            if (!body || !Array.isArray(body.objects)) {
                return { kind: 'unavailable', status: 200, reason: 'the token list has no "objects" array' };
            }
            entries.push(...body.objects);
            pages++;
            next = typeof body.urls?.next === 'string' ? this.follow(body.urls.next) : undefined;
        }
        return { kind: 'entries', entries, pages, complete: next === undefined || seen.has(next.href) };
    }
    /** The abbreviated packument, or undefined when the package does not exist yet. */
    async packument(name) {
        const url = this.url(name.replace('/', '%2f'));
        // no-cache: a CDN's copy may predate a publish that just landed (reruns, read-backs).
        const accept = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8';
        let result = await this.get(url, { auth: true, accept });
        // A token the registry refuses on reads (revoked, IP-blocked) must not hide a public packument.
        if (result.status === 401 || result.status === 403) {
            result = await this.get(url, { auth: false, accept });
        }
        if (result.status === 404)
            return undefined;
        if (result.status !== 200 || typeof result.body !== 'object' || result.body === null) {
            throw new PublishError('REGISTRY_UNREACHABLE', `Reading ${name} from ${this.registry.host} failed: ${describeStatus(result)}`);
        }
        return result.body;
    }
    /**
     * The address the registry sees this runner as, for the token's CIDR list. The local socket
     * address is it when the registry is on loopback or a private network, or when the runner's own
     * address is public; otherwise ask the registry host's edge (`/cdn-cgi/trace`, as npmjs serves).
     */
    async egressAddress() {
        const seen = this.proxied ? undefined : this.socketAddresses;
        if (seen && ipaddr_default().isValid(seen.local)) {
            const local = ipaddr_default().process(seen.local);
            const remote = ipaddr_default().isValid(seen.remote) ? ipaddr_default().process(seen.remote) : undefined;
            const direct = remote && ['loopback', 'private', 'uniqueLocal'].includes(remote.range());
            if (direct || local.range() === 'unicast') {
                return { address: local.toString(), source: 'local socket address' };
            }
        }
        try {
            const trace = await this.get(new URL('/cdn-cgi/trace', this.registry), {
                auth: false,
                text: true
            });
            const ip = /^ip=(.+)$/m.exec(String(trace.body))?.[1]?.trim();
            if (trace.status === 200 && ip && ipaddr_default().isValid(ip)) {
                return {
                    address: ipaddr_default().process(ip).toString(),
                    source: `${this.registry.host}/cdn-cgi/trace`
                };
            }
        }
        catch {
            // fall through: the CIDR check becomes "unknown"
        }
        return { source: 'not detected' };
    }
    /**
     * Trusted publishing: trade a GitHub ID token for a short-lived npm token. One POST, no body,
     * not retried (the caller falls back or fails with the registry's message).
     */
    async exchangeIdToken(packageName, idToken) {
        const url = this.url(`-/npm/v1/oidc/token/exchange/package/${packageName.replace('/', '%2f')}`);
        try {
            const response = await this.send(url, 'POST', {
                authorization: `Bearer ${idToken}`,
                accept: 'application/json',
                'user-agent': 'npm-automation-publish'
            });
            const body = parseBody(response.text);
            return { ...response, body: body === MALFORMED ? response.text : body };
        }
        catch (error) {
            throw new PublishError('REGISTRY_UNREACHABLE', `POST ${url.origin}${url.pathname} failed: ${networkProblem(error)}`);
        }
    }
    url(relative) {
        return new URL(relative, this.registry);
    }
    /**
     * `urls.next` as npm resolves it; only under the registry's own URL (host, port and path): the
     * request carries the token, which must not reach another repository on a shared server.
     */
    follow(next) {
        if (!next)
            return undefined;
        try {
            const url = /^https?:/i.test(next) ? new URL(next) : this.url(next.replace(/^\//, ''));
            return url.href.startsWith(this.registry.href) ? url : undefined;
        }
        catch {
            return undefined; // a malformed link ends a best-effort list
        }
    }
    /**
     * One request, no redirects followed (a redirect must not carry the token elsewhere). The
     * socket timeout bounds connecting, waiting for headers and every pause in the body.
     */
    send(url, method, headers, leftMs = Infinity) {
        const transport = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
        // The whole attempt, trickling bodies included, ends within the timeout and the budget left.
        const limit = Math.max(1, Math.min(this.retry.timeoutMs, leftMs));
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                const error = new Error(`timeout, no answer within ${Math.round(limit)} ms`);
                request.destroy(Object.assign(error, { code: 'ETIMEDOUT' }));
            }, limit);
            const fail = (error) => {
                clearTimeout(timer);
                reject(error);
            };
            const request = transport.request(url, { method, headers, agent: this.agent }, (response) => {
                const chunks = [];
                response.on('data', (chunk) => chunks.push(chunk));
                response.on('error', fail);
                response.on('end', () => {
                    clearTimeout(timer);
                    resolve({
                        status: response.statusCode ?? 0,
                        headers: flattenHeaders(response.headers),
                        text: Buffer.concat(chunks).toString('utf8')
                    });
                });
            });
            request.on('socket', (socket) => {
                if (socket.connecting)
                    socket.once('connect', () => this.remember(socket));
                else
                    this.remember(socket);
            });
            request.on('error', fail);
            request.end();
        });
    }
    remember(socket) {
        if (socket.localAddress && socket.remoteAddress) {
            this.socketAddresses = { local: socket.localAddress, remote: socket.remoteAddress };
        }
    }
    /** One GET with timeouts, retried on connection errors, 408/429/5xx and malformed JSON. */
    async get(url, options) {
        // One wall-clock budget for the request and its retries (or the caller's, if sooner).
        const deadline = Math.min(options.deadline ?? Infinity, Date.now() + this.retry.budgetMs);
        const headers = {
            accept: options.accept ?? 'application/json',
            // Every read is of live state; a CDN copy may predate a publish that just landed.
            'cache-control': 'no-cache',
            'user-agent': 'npm-automation-publish'
        };
        if (options.auth && this.token)
            headers['authorization'] = `Bearer ${this.token}`;
        let lastProblem;
        for (let attempt = 1;; attempt++) {
            let wait;
            try {
                const response = await this.send(url, 'GET', headers, deadline - Date.now());
                const result = {
                    ...response,
                    body: options.text ? response.text : parseBody(response.text)
                };
                if (!RETRY_STATUSES.has(result.status) && result.body !== MALFORMED)
                    return result;
                lastProblem = result.body === MALFORMED ? 'malformed JSON' : describeStatus(result);
                wait = retryAfterMs(result.headers['retry-after']);
                if (attempt >= this.retry.attempts || Date.now() >= deadline) {
                    if (result.status < 500 && result.status !== 429 && result.body !== MALFORMED)
                        return result;
                    break;
                }
            }
            catch (error) {
                lastProblem = networkProblem(error);
                if (attempt >= this.retry.attempts || Date.now() >= deadline)
                    break;
            }
            const backoff = this.retry.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
            const remaining = deadline - Date.now();
            if (wait !== undefined && wait > remaining) {
                // Sleeping the budget away only to retry before the registry asked would fail anyway.
                lastProblem += `; Retry-After asks for ${Math.ceil(wait / 1000)} s, more than the retry budget left`;
                break;
            }
            const pause = Math.min(wait ?? backoff, remaining);
            if (pause < 0)
                break;
            await this.sleep(pause);
        }
        throw new PublishError('REGISTRY_UNREACHABLE', `GET ${url.origin}${url.pathname} failed: ${lastProblem}`);
    }
}
const MALFORMED = Symbol('malformed');
function parseBody(text) {
    if (!text)
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return text.trimStart().startsWith('{') ? MALFORMED : text;
    }
}
function flattenHeaders(raw) {
    const headers = {};
    for (const [name, value] of Object.entries(raw)) {
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return headers;
}
function retryAfterMs(value, now = Date.now()) {
    if (!value)
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
function describeStatus(result) {
    const body = result.body;
    const detail = typeof body === 'string'
        ? body.slice(0, 200)
        : typeof body?.error === 'string'
            ? body.error
            : typeof body?.message === 'string'
                ? body.message
                : '';
    return `HTTP ${result.status}${detail ? ` (${detail.trim()})` : ''}`;
}
function networkProblem(error) {
    const code = error?.code;
    return typeof code === 'string' ? `${code}: ${errorMessage(error)}` : errorMessage(error);
}
function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

;// CONCATENATED MODULE: ./src/npm.ts






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
        if (['node_auth_token', 'npm_token', TOKEN_VARIABLE.toLowerCase()].includes(lower))
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
function npmCommand(platform = process.platform, env = process.env, exists = (external_node_fs_default()).existsSync) {
    if (platform !== 'win32')
        return { file: 'npm', prefix: [], shell: false };
    const PATH = env['PATH'] ?? env['Path'] ?? '';
    for (const dir of PATH.split(';').filter(Boolean)) {
        const cli = external_node_path_default().win32.join(dir, 'node_modules', 'npm', 'bin', 'npm-cli.js');
        if (!exists(external_node_path_default().win32.join(dir, 'npm.cmd')) || !exists(cli))
            continue;
        const node = external_node_path_default().win32.join(dir, 'node.exe');
        return { file: exists(node) ? node : 'node.exe', prefix: [cli], shell: false };
    }
    return { file: 'npm.cmd', prefix: [], shell: true };
}
/** Runs npm without a shell, capturing its output. */
function runNpm(args, options) {
    const npm = npmCommand();
    const argv = [...npm.prefix, ...(npm.shell ? args.map(quoteForCmd) : args)];
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)(npm.file, argv, {
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
            reject(new PublishError('PUBLISH_FAILED', `Could not start npm: ${error.message}`, 'Install Node.js and npm on the runner (actions/setup-node) before this step.'));
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
/** `npm publish`, scripts off, no npm-level retries, config and logs from the private dir only. */
function npmPublish(args, credentials) {
    const argv = [
        ...(args.stage ? ['stage', 'publish'] : ['publish']),
        args.target,
        '--json',
        '--ignore-scripts',
        '--fetch-retries=0',
        // npm's default is 5 minutes per request: a stalled PUT would hold the job that long.
        `--fetch-timeout=${retryPolicy().timeoutMs * 6}`,
        '--tag',
        args.tag,
        '--registry',
        args.registry.href,
        '--userconfig',
        credentials.npmrc,
        '--logs-dir',
        external_node_path_default().join(credentials.dir, 'logs'),
        '--cache',
        external_node_path_default().join(credentials.dir, 'cache'),
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
        external_node_path_default().join(scratch, 'logs'),
        '--cache',
        external_node_path_default().join(scratch, 'cache')
    ], { cwd: scratch, env: childEnv() });
    const first = Array.isArray(result.json) ? result.json[0] : undefined;
    if (result.exitCode !== 0 || typeof first?.['integrity'] !== 'string') {
        throw new PublishError('PACKAGE_INVALID', `npm pack could not pack ${dir}: ${stderrSummary(result.stderr)}`);
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
        throw new PublishError('PUBLISH_FAILED', `The "${script}" script failed with exit code ${result.exitCode}`, 'Fix the script (its output is above), or set `ignore-scripts: true` if you build in an earlier step.');
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

;// CONCATENATED MODULE: ./src/oidc.ts






const OIDC_MIN_NPM = '11.5.1';
/** Pure: are the runner's ID-token request variables there (`permissions: id-token: write`)? */
function idTokenAvailable(env = process.env) {
    return Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL'] && env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
}
/**
 * `auth: token` uses the token; `oidc` exchanges a GitHub ID token for a short-lived npm token
 * (trusted publishing) or fails saying what is missing; `auto` tries OIDC when the job can request
 * an ID token and falls back to the token, saying why.
 */
async function chooseAuth(options, packageName) {
    const tokenChoice = (reason) => ({
        method: 'token',
        token: options.token,
        reason
    });
    if (options.auth === 'token')
        return tokenChoice('`auth: token`');
    if (options.auth === 'auto' && !idTokenAvailable()) {
        return tokenChoice('`auth: auto` and this job cannot request an ID token (no `id-token: write`)');
    }
    try {
        const token = await exchange(options, packageName);
        return {
            method: 'oidc',
            token,
            reason: 'trusted publishing: a GitHub ID token was exchanged for a short-lived npm token'
        };
    }
    catch (error) {
        if (options.auth === 'oidc')
            throw error;
        const why = error instanceof PublishError ? error.report : errorMessage(error);
        workflow/* warning */.$e(`Trusted publishing was not possible, publishing with the token instead: ${why}`);
        return tokenChoice(`\`auth: auto\` fell back to the token: ${why}`);
    }
}
async function exchange(options, packageName) {
    if (!idTokenAvailable()) {
        throw new PublishError('OIDC_UNAVAILABLE', 'Trusted publishing needs an ID token, and this job cannot request one', 'Add `permissions: id-token: write` to the job (and to the calling workflow of a reusable one).');
    }
    if (process.env['RUNNER_ENVIRONMENT'] !== 'github-hosted') {
        throw new PublishError('OIDC_UNAVAILABLE', `npm trusted publishing accepts GitHub-hosted runners only; this runner is ${process.env['RUNNER_ENVIRONMENT'] || 'unknown'}`, 'Run the publish job on a GitHub-hosted runner, or use `auth: token`.');
    }
    const npm = await npmVersion();
    if (!semver_default().valid(npm) || semver_default().lt(npm, OIDC_MIN_NPM)) {
        throw new PublishError('OIDC_UNAVAILABLE', `Trusted publishing needs npm >= ${OIDC_MIN_NPM}; this runner has npm ${npm}`, 'Use actions/setup-node with `node-version: 24` (npm 11), or run `npm install -g npm@11` before this step.');
    }
    const audience = `npm:${options.registry.hostname}`;
    let idToken;
    try {
        // The toolkit's client (with its retries) is loaded only here, on the OIDC path.
        const core = await __webpack_require__.e(/* import() */ 421).then(__webpack_require__.bind(__webpack_require__, 6421));
        idToken = await core.getIDToken(audience);
    }
    catch (error) {
        throw new PublishError('OIDC_UNAVAILABLE', `Could not get a GitHub ID token: ${errorMessage(error)}`);
    }
    maskSecret(idToken);
    const client = new RegistryClient(options.registry, undefined);
    try {
        const answer = await client.exchangeIdToken(packageName, idToken);
        const token = answer.body?.token;
        if (answer.status === 201 || answer.status === 200) {
            if (typeof token !== 'string' || !token) {
                throw new PublishError('OIDC_REJECTED', 'The registry answered the exchange without a token');
            }
            maskSecret(token);
            return token;
        }
        const message = answer.body?.message;
        const exists = answer.status === 404 ? await client.packument(packageName) : true;
        throw new PublishError('OIDC_REJECTED', `The registry refused the ID token (HTTP ${answer.status}${typeof message === 'string' ? `: ${message}` : ''}) for ${describeClaims(idToken)}`, exists
            ? `Configure a trusted publisher for ${packageName} on the registry that names this repository and workflow file (and environment, if any), with "npm publish" allowed; check that package.json's repository.url matches this repository.`
            : `${packageName} does not exist yet and trusted publishing cannot create a package: publish the first version with a token (\`auth: token\`), then configure the trusted publisher.`);
    }
    finally {
        await client.close();
    }
}
/** The non-secret claims a trusted publisher is matched on, to explain a mismatch. */
function describeClaims(jwt) {
    try {
        const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
        const parts = ['repository', 'workflow_ref', 'environment']
            .filter((claim) => typeof payload[claim] === 'string' && payload[claim])
            .map((claim) => `${claim}=${String(payload[claim])}`);
        return parts.length ? parts.join(', ') : 'this workflow';
    }
    catch {
        return 'this workflow';
    }
}

;// CONCATENATED MODULE: ./src/npm-errors.ts


/** npm 11's `--json` error object (`{"error": {code, summary, detail}}` on stdout), else stderr. */
function npmError(result) {
    const json = result.json?.error;
    const stderrCode = /npm (?:error|ERR!) code (\S+)/.exec(result.stderr)?.[1];
    const code = json?.code ?? stderrCode ?? '';
    const summary = (json?.summary || stderrSummary(result.stderr)).split('\n')[0].trim();
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
        error: new PublishError(errorCode, quoted, hint)
    });
    const text = `${summary}\n${result.stderr}`;
    // npm: "You cannot publish over the previously published versions: 1.0.0." (its tag error
    // also says "previously published version", so match only this phrase).
    if (/cannot publish over/i.test(text)) {
        // Without an HTTP code it is npm's own check, before any upload: the version was there when
        // npm read it, so it is not ours to publish again. With one, it answered our PUT: maybe ours.
        const reason = 'npm says the version is already published';
        return code ? { kind: 'ambiguous', reason } : { kind: 'ambiguous', reason, exists: true };
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
    const comparable = oldVersion !== undefined && semver_default().valid(oldVersion) !== null;
    if (input.strategy === 'upgrade' && comparable && !semver_default().gt(input.version, oldVersion)) {
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
        if (latest && semver_default().valid(latest) && semver_default().lt(input.version, latest)) {
            throw new PublishError('TAG_REQUIRED', `${input.name}@${input.version} is lower than the current latest (${latest}); publishing it under "latest" would move latest backwards`, `Set \`tag\` to a name for this line (for example \`tag: v${semver_default().major(input.version)}-latest\`), or \`tag: latest\` if that is what you want.`);
        }
        if (semver_default().prerelease(input.version)) {
            throw new PublishError('TAG_REQUIRED', `${input.name}@${input.version} is a prerelease and no \`tag\` was chosen (npm refuses to put prereleases on "latest" implicitly)`, 'Set `tag` (for example `tag: next`), or `tag: latest` if that is what you want.');
        }
    }
    return { action: 'publish', tag, oldVersion, type };
}
/** `initial` (nothing under the tag yet), `same`, `lower`, or semver's diff (major, minor, patch, pre*). */
function releaseType(oldVersion, version) {
    if (!oldVersion || !semver_default().valid(oldVersion))
        return 'initial';
    if (semver_default().eq(version, oldVersion))
        return 'same';
    if (semver_default().lt(version, oldVersion))
        return 'lower';
    return semver_default().diff(oldVersion, version) ?? 'unknown';
}

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

;// CONCATENATED MODULE: ./src/publish.ts











function emptyOutcome() {
    return {
        published: false,
        id: '',
        name: '',
        version: '',
        tag: '',
        access: '',
        registry: '',
        dryRun: false,
        integrity: '',
        shasum: '',
        oldVersion: '',
        type: '',
        tokenUser: '',
        tokenCheck: '',
        checks: [],
        authPath: '',
        authReason: '',
        stageId: '',
        result: ''
    };
}
/** Lifecycle scripts in npm's order, split around the moment the credentials exist. */
const SCRIPTS_BEFORE = ['prepublishOnly', 'prepack', 'prepare'];
const SCRIPTS_AFTER = ['postpack', 'publish', 'postpublish'];
/** The whole run: check, decide, publish, confirm. Throws a PublishError; fills `outcome` as it goes. */
async function publishPackage(options, outcome) {
    outcome.registry = options.registry.href;
    outcome.dryRun = options.dryRun;
    const manifest = await readManifest(options.packagePath, options.packageKind);
    outcome.name = manifest.name;
    outcome.version = manifest.version;
    const tag = options.tag ?? manifest.publishConfig.tag;
    outcome.access = options.access ?? manifest.publishConfig.access ?? '';
    if (options.provenance)
        checkProvenance(manifest, outcome.access);
    const auth = await chooseAuth(options, manifest.name);
    outcome.authPath = options.stage ? 'stage' : auth.method;
    outcome.authReason = auth.reason;
    const client = new RegistryClient(options.registry, auth.token || undefined);
    try {
        const [verdict, packument] = await preflight(client, options, auth, manifest.name);
        applyVerdict(verdict, options, outcome);
        if (options.stage)
            await checkStaging(manifest.name, packument);
        const plan = planPublish({
            name: manifest.name,
            version: manifest.version,
            tag,
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
        const npm = await publishOnce(options, auth, manifest.name, plan.tag, outcome);
        if (npm.exitCode !== 0) {
            await recoverFailedPublish(npm, client, options, auth, manifest, plan.tag, outcome);
        }
        if (outcome.published)
            await scripts.after();
        else if (options.dryRun) {
            outcome.result = `Dry run: ${manifest.name}@${manifest.version} packed and checked; nothing uploaded.`;
        }
    }
    finally {
        await client.close();
    }
}
/** Token checks and the packument, in parallel over one connection pool. */
async function preflight(client, options, auth, name) {
    // whoami and the token list say nothing about a short-lived OIDC token (npm's docs).
    const skip = options.tokenCheck === 'off' || auth.method === 'oidc';
    const token = skip ? undefined : checkToken(client, options, name);
    const [verdict, packument] = await Promise.allSettled([token, client.packument(name)]);
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
async function checkToken(client, options, packageName) {
    const [whoami, list] = await Promise.all([client.whoami(), client.tokenList()]);
    const own = findOwnEntry(list, options.token);
    const needsEgress = own.kind === 'found' && (own.entry.cidr?.length ?? 0) > 0;
    const egress = !needsEgress
        ? undefined
        : options.egressIp
            ? { address: options.egressIp, source: '`egress-ip` input' }
            : await client.egressAddress();
    return judgeToken({ whoami, own, egress, packageName, now: new Date() });
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
        throw new PublishError(failure.code ?? 'TOKEN_INVALID', `Token check failed before anything was uploaded: ${failure.title}: ${failure.detail}`);
    }
    outcome.tokenCheck = 'warned';
    for (const check of verdict.checks.filter((c) => c.status === 'fail')) {
        workflow/* warning */.$e(`[${check.code}] Token check: ${check.title}: ${check.detail} (token-check: warn, publishing anyway)`);
    }
}
async function localDigest(options, digest) {
    if (digest)
        return digest;
    return withNpmrc(options.registry, '', undefined, (scratch) => npmPackIntegrity(options.packagePath, scratch.dir));
}
function confirmSameContent(manifest, ours, packument) {
    const dist = packument?.versions?.[manifest.version]?.dist ?? {};
    const same = dist.integrity ? dist.integrity === ours.integrity : dist.shasum === ours.shasum;
    if (!same) {
        throw new PublishError('VERSION_CONFLICT', `${manifest.name}@${manifest.version} is already published with different content (registry ${dist.integrity ?? dist.shasum ?? 'lists no integrity'}, ours ${ours.integrity})`);
    }
}
async function publishOnce(options, auth, name, tag, outcome) {
    const token = options.dryRun ? undefined : auth.token;
    const command = options.stage ? 'npm stage publish' : 'npm publish';
    const npm = await withNpmrc(options.registry, name, token, (credentials) => npmPublish({
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
 * one more publish.
 */
async function recoverFailedPublish(npm, client, options, auth, manifest, tag, outcome) {
    let failure = diagnosePublish(npm, {
        provenance: options.provenance,
        oidc: auth.method === 'oidc'
    });
    // A staged version is not in the packument: there is nothing to read back.
    const canReadBack = !options.dryRun && !options.stage;
    for (let attempt = 1; failure.kind === 'ambiguous' && canReadBack; attempt++) {
        workflow/* info */.pq(`The publish may or may not have landed (${failure.reason}); reading the registry back.`);
        // npm saw the version in its own read: it exists, a lagging replica may just not show it yet.
        const packument = await readBack(client, manifest, failure.exists ? 3 : 1);
        if (packument?.versions?.[manifest.version]) {
            const ours = await localDigest(options, manifest.digest);
            confirmSameContent(manifest, ours, packument);
            if (failure.exists) {
                // npm refused before uploading: an earlier run published it (a rerun), not this one.
                Object.assign(outcome, {
                    integrity: ours.integrity,
                    shasum: ours.shasum,
                    type: 'same',
                    result: `${manifest.name}@${manifest.version} is already published with identical content; nothing to do.`
                });
                return;
            }
            Object.assign(outcome, {
                integrity: ours.integrity,
                shasum: ours.shasum,
                published: true,
                id: `${manifest.name}@${manifest.version}`,
                result: `Published ${manifest.name}@${manifest.version} under "${tag}" (confirmed by reading the registry back after: ${failure.reason}).`
            });
            return;
        }
        if (failure.exists) {
            throw new PublishError('PUBLISH_FAILED', `npm reports ${manifest.name}@${manifest.version} as already published, but the registry does not show it to this token, so its content cannot be compared`, 'Nothing was uploaded by this run. If this re-runs a release that succeeded, the version is out; otherwise bump the version.');
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
    throw new PublishError('PUBLISH_FAILED', `The publish failed and the version is not on the registry (${failure.reason})`, 'Nothing was published. Re-run the job; if it keeps failing, check the registry status.');
}
const STAGE_MIN_NPM = '11.15.0';
const RATE_LIMIT_PAUSE_MS = 5000;
const READ_BACK_PAUSE_MS = 1000;
/** Staged publishing adds a version to an existing package, with npm >= 11.15.0. */
async function checkStaging(name, packument) {
    if (!packument) {
        throw new PublishError('INPUT_INVALID', `stage: true, but ${name} does not exist on the registry yet and a first version cannot be staged`, 'Publish the first version directly (`stage: false`), then stage the next ones.');
    }
    const npm = await npmVersion();
    if (!semver_default().valid(npm) || semver_default().lt(npm, STAGE_MIN_NPM)) {
        throw new PublishError('INPUT_INVALID', `stage: true needs npm >= ${STAGE_MIN_NPM} (npm stage publish); this runner has npm ${npm}`, 'Use actions/setup-node with `node-version: 24` and `npm install -g npm@11` before this step.');
    }
}
/**
 * Provenance is signed into the public transparency log before the upload, so a publish that then
 * fails leaves a permanent entry: check what it needs first.
 */
function checkProvenance(manifest, access) {
    const fail = (message, hint) => {
        throw new PublishError('PROVENANCE_FAILED', message, hint);
    };
    if (!idTokenAvailable()) {
        fail('provenance: true, but this job cannot request an ID token', 'Add `permissions: id-token: write` to the job, or set `provenance: false`.');
    }
    if (process.env['RUNNER_ENVIRONMENT'] !== 'github-hosted') {
        fail(`provenance: true needs a GitHub-hosted runner; this one is ${process.env['RUNNER_ENVIRONMENT'] || 'unknown'} (the registry answers 422)`, 'Publish from a GitHub-hosted runner, or set `provenance: false`.');
    }
    const repository = process.env['GITHUB_REPOSITORY'];
    const declared = githubRepository(manifest.repository);
    if (repository && declared !== repository) {
        fail(`provenance: true needs package.json "repository" to name ${repository}; it names ${manifest.repository ?? 'nothing'}`, `Set "repository": {"type": "git", "url": "git+https://github.com/${repository}.git"} in package.json.`);
    }
    if (manifest.name.startsWith('@') && access !== 'public') {
        fail(`provenance: true for the scoped package ${manifest.name} needs public access`, 'Set `access: public` (provenance cannot be generated for private packages).');
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
        const now = await readManifest(this.options.packagePath, 'directory');
        if (now.name !== this.manifest.name || now.version !== this.manifest.version) {
            throw new PublishError('PACKAGE_INVALID', `A lifecycle script changed package.json from ${this.manifest.name}@${this.manifest.version} to ${now.name}@${now.version}`, 'Set the version before this step (the checks ran against the old one), or set `ignore-scripts: true`.');
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
                await npmRunScript(this.options.packagePath, name);
            }
            finally {
                workflow/* endGroup */.N4();
            }
        }
        return ran;
    }
}

;// CONCATENATED MODULE: ./src/report.ts

/** Every output, on every path; empty where not known. Names match action.yml. */
function outputsOf(outcome) {
    return {
        published: String(outcome.published),
        id: outcome.id,
        name: outcome.name,
        version: outcome.version,
        tag: outcome.tag,
        access: outcome.access,
        registry: outcome.registry,
        'dry-run': String(outcome.dryRun),
        integrity: outcome.integrity,
        shasum: outcome.shasum,
        'old-version': outcome.oldVersion,
        type: outcome.type,
        'token-user': outcome.tokenUser,
        'token-check': outcome.tokenCheck,
        'error-code': outcome.error?.code ?? '',
        'auth-path': outcome.authPath,
        'stage-id': outcome.stageId
    };
}
function setOutputs(outcome) {
    for (const [name, value] of Object.entries(outputsOf(outcome)))
        workflow/* setOutput */.uH(name, value);
}
const STATUS_ICON = {
    pass: '✅ pass',
    warn: '⚠️ warn',
    fail: '❌ fail',
    skip: '➖ skip'
};
/** Link to the package's page where the registry has one people know. */
function packageLink(registry, name, version) {
    if (!name)
        return registry;
    const host = new URL(registry).host;
    if (host === 'registry.npmjs.org')
        return `https://www.npmjs.com/package/${name}/v/${version}`;
    if (host === 'npm.pkg.github.com' && process.env['GITHUB_REPOSITORY']) {
        return `https://github.com/${process.env['GITHUB_REPOSITORY']}/packages`;
    }
    return new URL(name.replace('/', '%2f'), registry).href;
}
/** The markdown job summary: what happened, the package's facts, and the token checks. */
function summaryMarkdown(outcome) {
    const subject = outcome.name ? `\`${outcome.name}@${outcome.version}\`` : 'the package';
    const heading = outcome.error
        ? `❌ npm publish failed: ${outcome.error.code}`
        : outcome.published
            ? `✅ Published ${subject}`
            : outcome.stageId
                ? `🕓 Staged ${subject} for approval`
                : outcome.dryRun
                    ? `🧪 Dry run of ${subject}`
                    : `⏭️ Nothing published for ${subject}`;
    const lines = [`## ${heading}`, ''];
    if (outcome.error)
        lines.push(`> ${escapeCell(outcome.error.report)}`, '');
    else if (outcome.result)
        lines.push(outcome.result, '');
    const rows = [
        [
            'Package',
            outcome.name
                ? `[${outcome.name}](${packageLink(outcome.registry, outcome.name, outcome.version)})`
                : ''
        ],
        [
            'Version',
            outcome.oldVersion
                ? `${outcome.oldVersion} → ${outcome.version} (${outcome.type})`
                : outcome.version && `${outcome.version} (${outcome.type || 'initial'})`
        ],
        ['Tag', outcome.tag],
        ['Access', outcome.access || 'registry default'],
        ['Registry', outcome.registry],
        ['Integrity', outcome.integrity && `\`${outcome.integrity}\``],
        ['Published', String(outcome.published)],
        ['Stage', outcome.stageId],
        ['Auth', outcome.authPath && `${outcome.authPath} (${outcome.authReason})`],
        ['Token check', outcome.tokenCheck]
    ];
    lines.push('| | |', '| --- | --- |');
    for (const [label, value] of rows)
        if (value)
            lines.push(`| ${label} | ${escapeCell(value)} |`);
    if (outcome.checks.length) {
        lines.push('', '### Token checks', '', '| Check | Result | Detail |', '| --- | --- | --- |');
        for (const check of outcome.checks) {
            const result = check.code && check.status === 'fail'
                ? `${STATUS_ICON[check.status]} (${check.code})`
                : STATUS_ICON[check.status];
            lines.push(`| ${check.title} | ${result} | ${escapeCell(check.detail)} |`);
        }
    }
    return `${lines.join('\n')}\n`;
}
function escapeCell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
function writeSummary(outcome) {
    workflow/* appendSummary */.fe(summaryMarkdown(outcome));
}

;// CONCATENATED MODULE: ./src/action.ts






/** The main step: inputs → publish → outputs and summary; a failure is reported once, here. */
async function main() {
    const outcome = emptyOutcome();
    try {
        workflow/* saveState */.LZ(state/* STATE */.c4.isPost, 'true');
        const options = getOptions();
        await publishPackage(options, outcome);
        workflow/* info */.pq(outcome.result);
    }
    catch (error) {
        outcome.error = isPublishError(error)
            ? error
            : new PublishError('PUBLISH_FAILED', `Unexpected error: ${errorMessage(error)}`);
    }
    // Reporting must not hide the outcome: a broken output or summary file is a warning.
    for (const [what, report] of [
        ['outputs', () => setOutputs(outcome)],
        ['job summary', () => writeSummary(outcome)]
    ]) {
        try {
            report();
        }
        catch (error) {
            workflow/* warning */.$e(`Could not write the ${what}: ${errorMessage(error)}`);
        }
    }
    if (outcome.error)
        workflow/* setFailed */.C1(outcome.error.report);
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

//# sourceMappingURL=2.index.js.map