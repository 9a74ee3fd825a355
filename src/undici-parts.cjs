'use strict'
// The parts of undici this action uses, loaded file by file. tsconfig.json's `paths` maps `undici`
// here for the bundle (ncc resolves through it) — for this action and for @actions/http-client
// inside @actions/core — so a run never evaluates undici's fetch, WebSocket, EventSource, cache,
// cookie and mock modules (about 0.5 MB of source, and the built-ins only they load). Same package,
// same version; the types are undici's own. Jest does not read `paths`: unit tests get the whole
// package, whose index adds the same methods (see below).
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js')
const api = require('undici/lib/api/index.js')

// What undici's own index does: request(), stream(), ... as methods of every dispatcher.
Object.assign(Dispatcher.prototype, api)

/** @type {typeof import('undici/types/index.js').Agent} */
const Agent = require('undici/lib/dispatcher/agent.js')
/** @type {typeof import('undici/types/index.js').ProxyAgent} */
const ProxyAgent = require('undici/lib/dispatcher/proxy-agent.js')
/** @type {typeof import('undici/types/index.js').EnvHttpProxyAgent} */
const EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent.js')
/** @type {typeof import('undici/types/index.js').buildConnector} */
const buildConnector = require('undici/lib/core/connect.js')

module.exports = { Agent, ProxyAgent, EnvHttpProxyAgent, buildConnector }
