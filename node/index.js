'use strict'
/**
 * qcc-radar for Node.js: order QCC Pro risk-monitoring reports, wait for them, download and
 * safely extract them.
 *
 * This file is the public API and stays thin: it checks argument types, hands options objects
 * to the native calls, wires `AbortSignal`s to the native `cancel`, converts answers into plain
 * objects (`expiresAt` as a `Date`), and maps every failure through `errors.js`. The work —
 * signing, retries, clock-skew correction, downloads, safe extraction — is the shared Rust
 * client inside `native.js`'s addon, running on a tokio runtime off the event loop.
 *
 * It keeps no copy of a rule of the client's: the settings (`new Client({ … })` and
 * `fetchReport`'s options) are named, parsed and checked by the client crate's one settings
 * table, which words every `config` message; report types, error kinds and sandbox scenarios
 * are read from the Rust crates; closing is the client crate's `close`.
 */

const native = require('./native.js')
const { QccError, ERROR_KINDS, fromNative, configError, abortError } = require('./errors.js')
const { Table, readTables } = require('./tables.js')

/**
 * The report types: daily, weekly and monthly digests, taken from the core (`ReportType::ALL`).
 * @type {readonly string[]}
 */
const REPORT_TYPES = Object.freeze(native.reportTypes())

/**
 * The sandbox's fault scenarios (the same names in every qcc-radar binding and the CLI), taken
 * from the sandbox itself (`Scenario::ALL`) so a new scenario is here as soon as it is there.
 * @type {readonly string[]}
 */
const SCENARIOS = Object.freeze(native.sandboxScenarios())

/** @type {Record<string, 'string'|'number'|'boolean'>} */
const SANDBOX_OPTIONS = {
  scenario: 'string',
  appKey: 'string',
  secretKey: 'string',
  pollsUntilReady: 'number',
  slowReadyAfterMs: 'number',
  linkTtlMs: 'number',
  timespanWindowMs: 'number',
  clockSkewMs: 'number',
  largeBytes: 'number',
  port: 'number',
}

const WHOLE = new Set(['pollsUntilReady', 'port'])

/**
 * An options object as a fresh copy of its own properties (`{}` for `undefined` or `null`).
 * @param {unknown} options
 * @param {string} what
 * @returns {Record<string, any>}
 */
function optionsObject(options, what) {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw configError(`${what} must be an object, got ${typeof options}`)
  }
  return { ...options }
}

/**
 * The sandbox's options (test tooling, not client settings): the known, defined ones after
 * checking their types; unknown names are refused.
 * @param {unknown} options
 * @param {Record<string, 'string'|'number'|'boolean'>} schema
 * @param {string} what
 * @returns {Record<string, any>}
 */
function pickOptions(options, schema, what) {
  const given = optionsObject(options, what)
  /** @type {Record<string, any>} */
  const out = {}
  for (const [name, value] of Object.entries(given)) {
    const type = schema[name]
    if (type === undefined) {
      throw configError(`unknown ${what} option ${JSON.stringify(name)}; known: ${Object.keys(schema).join(', ')}`)
    }
    if (value === undefined || value === null) continue
    if (typeof value !== type) {
      throw configError(`${what} option ${name} must be a ${type}, got ${typeof value}`)
    }
    if (WHOLE.has(name) && !(Number.isSafeInteger(value) && /** @type {number} */ (value) >= 0)) {
      throw configError(`${what} option ${name} must be a whole number of at least 0, got ${value}`)
    }
    out[name] = value
  }
  return out
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {string}
 */
function checkString(value, name) {
  if (typeof value !== 'string') {
    throw configError(`${name} must be a string, got ${value === null ? 'null' : typeof value}`)
  }
  return value
}

/**
 * Splits a call's options object into its `signal` and the rest, which the native call maps by
 * name onto the client crate's settings (`timeoutMs`, `newOrder`, `orderNo`: their values are
 * checked there, not here). With `allowed`, names outside it are refused here: the options a
 * call without settings takes are only JavaScript's own.
 * @param {unknown} options
 * @param {string[]} [allowed] the names besides `signal` this call takes; all, when absent
 * @returns {{signal: AbortSignal | undefined, rest: Record<string, unknown>}}
 */
function callOptions(options, allowed) {
  const { signal, ...rest } = optionsObject(options, 'options')
  if (allowed !== undefined) {
    for (const name of Object.keys(rest)) {
      if (!allowed.includes(name)) {
        throw configError(`unknown option ${JSON.stringify(name)}; known: ${[...allowed, 'signal'].join(', ')}`)
      }
    }
  }
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
    throw configError('signal must be an AbortSignal')
  }
  return { signal: /** @type {AbortSignal|undefined} */ (signal ?? undefined), rest }
}

/** @param {import('./native.js').NativeReportInfo} info */
function toReportInfo(info) {
  return {
    status: info.status,
    url: info.url ?? null,
    expiresAt: info.expiresAtSecs == null ? null : new Date(info.expiresAtSecs * 1000),
  }
}

/**
 * A report as a plain object (data to log, serialise and compare), with `tables()` as a
 * non-enumerable method so `JSON.stringify` and `assert.deepEqual` see only the data.
 * @param {import('./native.js').NativeReport} report
 */
function toReport(report) {
  const out = {
    orderNo: report.orderNo,
    reportType: report.reportType ?? null,
    archive: report.archive,
    folder: report.folder,
    files: report.files,
  }
  const folder = report.folder
  Object.defineProperty(out, 'tables', {
    value: function tables() {
      return readTables(folder)
    },
    enumerable: false,
    writable: true,
    configurable: true,
  })
  return out
}

/**
 * A native progress event as the public, per-type shape.
 * @param {import('./native.js').ProgressEvent} e
 */
function toProgress(e) {
  switch (e.type) {
    case 'polled':
      return { type: e.type, orderNo: e.orderNo, status: e.status, polls: e.polls, elapsedMs: e.elapsedMs }
    case 'downloading':
      return { type: e.type, orderNo: e.orderNo, received: e.received, total: e.total ?? null }
    case 'extracting':
      return { type: e.type, orderNo: e.orderNo, done: e.done, total: e.total }
    default:
      return { type: e.type, orderNo: e.orderNo }
  }
}

/**
 * Wraps the user's progress callback: shapes each event, and turns an exception it throws into
 * a process warning, since there is no caller to hand it to and it must not crash the process.
 * @param {(event: any) => void} onProgress
 * @returns {(event: import('./native.js').ProgressEvent) => void}
 */
function progressListener(onProgress) {
  return (event) => {
    try {
      onProgress(toProgress(event))
    } catch (err) {
      process.emitWarning(`the onProgress callback threw: ${err instanceof Error ? err.message : String(err)}`, {
        type: 'QccRadarWarning',
      })
    }
  }
}

/**
 * The QCC risk-monitoring report client. Every method that touches the network or the disk
 * returns a Promise and runs off the event loop. Call `close()` when done, or let
 * `await using client = new Client(…)` (`Symbol.asyncDispose`) do it.
 */
class Client {
  /** @type {import('./native.js').NativeClient} */
  #native
  #nextOp = 0
  /** The native promises of the calls still running, for `Symbol.asyncDispose`. */
  #inflight = new Set()

  /**
   * @param {object} [options] every client setting by name (see `index.d.ts` and the README's
   *   settings table), plus `onProgress`; the client crate checks them and names a bad one.
   *   Unset values fall back to `QCC_APP_KEY`, `QCC_SECRET_KEY`, `QCC_BASE_URL` and the defaults.
   */
  constructor(options) {
    const { onProgress, ...settings } = optionsObject(options, 'Client options')
    if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function') {
      throw configError(`onProgress must be a function, got ${typeof onProgress}`)
    }
    const listener =
      typeof onProgress === 'function'
        ? progressListener(/** @type {(event: any) => void} */ (onProgress))
        : undefined
    try {
      this.#native = new native.NativeClient(settings, listener)
    } catch (err) {
      throw fromNative(err)
    }
  }

  /** The base URL requests go to. */
  get baseUrl() {
    return this.#native.baseUrl
  }

  /** The app key in use. */
  get appKey() {
    return this.#native.appKey
  }

  /** Whether `close()` was called. */
  get closed() {
    return this.#native.closed
  }

  /** How many calls are still running (for tests and diagnostics). */
  get running() {
    return this.#native.running
  }

  /**
   * Runs one native operation with an id that `signal` can cancel.
   * @param {string} what for the abort message
   * @param {AbortSignal|undefined} signal
   * @param {(op: number) => Promise<any>} start
   */
  async #run(what, signal, start) {
    if (signal?.aborted) throw abortError(signal, what)
    this.#nextOp = (this.#nextOp % 0xffffffff) + 1
    const op = this.#nextOp
    let promise
    try {
      promise = start(op)
    } catch (err) {
      throw fromNative(err)
    }
    const onAbort = () => this.#native.cancel(op)
    signal?.addEventListener('abort', onAbort, { once: true })
    this.#inflight.add(promise)
    try {
      return await promise
    } catch (err) {
      const mapped = fromNative(err)
      if (mapped.kind === 'cancelled' && signal?.aborted) throw abortError(signal, what, mapped.orderNo)
      throw mapped
    } finally {
      this.#inflight.delete(promise)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  /**
   * Orders a report. Resolves to the order number, or `null` when no monitored company had a
   * risk change (so there is no report). Never retried once sent: a retry could pay twice.
   * @param {'day'|'week'|'month'} reportType
   * @param {{signal?: AbortSignal}} [options]
   * @returns {Promise<string|null>}
   */
  async createReport(reportType, options) {
    checkString(reportType, 'reportType')
    const { signal } = callOptions(options, [])
    const order = await this.#run('ordering a report', signal, (op) =>
      this.#native.createReport(reportType, op),
    )
    return order ?? null
  }

  /**
   * Asks where an order stands: `P` (being made), `S` (made, with `url`) or `F` (failed).
   * @param {string} orderNo
   * @param {{signal?: AbortSignal}} [options]
   */
  async reportInfo(orderNo, options) {
    checkString(orderNo, 'orderNo')
    const { signal } = callOptions(options, [])
    const info = await this.#run('asking for the report', signal, (op) =>
      this.#native.reportInfo(orderNo, op),
    )
    return toReportInfo(info)
  }

  /**
   * Polls until the report is made. Rejects with kind `report_failed` on `F`, `timeout` past
   * `timeoutMs` (default: the client's `waitTimeoutMs`, 30 minutes).
   * @param {string} orderNo
   * @param {{timeoutMs?: number, signal?: AbortSignal}} [options]
   */
  async waitForReport(orderNo, options) {
    checkString(orderNo, 'orderNo')
    const { signal, rest } = callOptions(options, ['timeoutMs'])
    const info = await this.#run('waiting for the report', signal, (op) =>
      this.#native.waitForReport(orderNo, rest, op),
    )
    return toReportInfo(info)
  }

  /**
   * Downloads a made report into `outDir` as `<orderNo>.zip` and extracts it into
   * `<outDir>/<orderNo>/`. A refused archive leaves nothing behind.
   * @param {string} orderNo
   * @param {string} outDir
   * @param {{signal?: AbortSignal}} [options]
   */
  async downloadReport(orderNo, outDir, options) {
    checkString(orderNo, 'orderNo')
    checkString(outDir, 'outDir')
    const { signal } = callOptions(options, [])
    const report = await this.#run('downloading the report', signal, (op) =>
      this.#native.downloadReport(orderNo, outDir, op),
    )
    return toReport(report)
  }

  /**
   * The whole flow: order (or resume), wait, download, extract. Resolves to `null` when there
   * were no risk changes.
   *
   * Backed by the order ledger in `outDir` (`qcc-radar-journal.json`, kept with a lock file
   * beside the reports): a re-run for the same server, app key, report type and period returns
   * the same report (or `null`) without sending anything, resumes an order that was placed but
   * not finished, and never orders again when an earlier createReport's answer was lost
   * (kind `unconfirmed_order`). `newOrder: true` orders whatever the ledger says; `orderNo`
   * resumes that order (one found in QCC's order list after `unconfirmed_order`) as the
   * period's report instead of ordering.
   * @param {'day'|'week'|'month'} reportType
   * @param {string} outDir
   * @param {{timeoutMs?: number, newOrder?: boolean, orderNo?: string, signal?: AbortSignal}} [options]
   */
  async fetchReport(reportType, outDir, options) {
    checkString(reportType, 'reportType')
    checkString(outDir, 'outDir')
    const { signal, rest } = callOptions(options)
    const report = await this.#run('fetching the report', signal, (op) =>
      this.#native.fetchReport(reportType, outDir, rest, op),
    )
    return report == null ? null : toReport(report)
  }

  /**
   * Closes the client, as every qcc-radar binding does: every running call (on this client)
   * rejects with kind `cancelled`, its work stopped (connections closed, partial files
   * removed), and later calls reject with kind `config`, so the process can exit. Safe to call
   * twice.
   */
  close() {
    this.#native.close()
  }

  /** `using client = new Client(…)`: `close()` at the end of the scope. */
  [Symbol.dispose]() {
    this.close()
  }

  /**
   * `await using client = new Client(…)`: `close()` at the end of the scope, then waits until
   * the calls it cancelled have settled (their partial files removed).
   * @returns {Promise<void>}
   */
  async [Symbol.asyncDispose]() {
    this.close()
    await Promise.allSettled([...this.#inflight])
  }
}

/**
 * The Token for a request: upper-case hex MD5 of `appKey + timespan + secretKey`.
 * @param {string} appKey
 * @param {number|bigint} timespan Unix seconds (a whole number)
 * @param {string} secretKey
 * @returns {string}
 */
function sign(appKey, timespan, secretKey) {
  checkString(appKey, 'appKey')
  checkString(secretKey, 'secretKey')
  let ts
  if (typeof timespan === 'bigint') {
    ts = timespan
  } else if (typeof timespan === 'number' && Number.isSafeInteger(timespan)) {
    ts = BigInt(timespan)
  } else {
    throw configError(`timespan must be a whole number of seconds, got ${String(timespan)}`)
  }
  try {
    return native.sign(appKey, ts, secretKey)
  } catch (err) {
    throw fromNative(err)
  }
}

const SANDBOX_TOKEN = Symbol('qcc-radar sandbox')

/**
 * An in-process emulator of the QCC API on 127.0.0.1, for tests and demos. Start it with
 * `await Sandbox.start({ scenario })`, point a `Client` at `baseUrl` / `appKey` / `secretKey`,
 * and `await sandbox.close()` when done.
 */
class Sandbox {
  /** @type {import('./native.js').NativeSandbox} */
  #native

  /**
   * @private Use `Sandbox.start()`.
   * @param {symbol} token
   * @param {import('./native.js').NativeSandbox} nativeSandbox
   */
  constructor(token, nativeSandbox) {
    if (token !== SANDBOX_TOKEN) throw configError('use `await Sandbox.start({ scenario })`')
    this.#native = nativeSandbox
  }

  /**
   * Starts a sandbox; resolves once it accepts connections.
   * @param {object} [options] `{ scenario, pollsUntilReady, slowReadyAfterMs, linkTtlMs, … }`
   * @returns {Promise<Sandbox>}
   */
  static async start(options) {
    const picked = pickOptions(options, SANDBOX_OPTIONS, 'Sandbox')
    try {
      return new Sandbox(SANDBOX_TOKEN, await native.startSandbox(picked))
    } catch (err) {
      throw fromNative(err)
    }
  }

  /** `http://127.0.0.1:PORT`. */
  get baseUrl() {
    return this.#native.baseUrl
  }

  /** The app key to give a client. */
  get appKey() {
    return this.#native.appKey
  }

  /** The secret key to give a client. */
  get secretKey() {
    return this.#native.secretKey
  }

  /** The scenario it runs. */
  get scenario() {
    return this.#native.scenario
  }

  /** `{ baseUrl, appKey, secretKey }`, to spread into `new Client({ … })`. */
  clientOptions() {
    return { baseUrl: this.baseUrl, appKey: this.appKey, secretKey: this.secretKey }
  }

  /**
   * @template T
   * @param {() => T} f
   * @returns {T}
   */
  #call(f) {
    try {
      return f()
    } catch (err) {
      throw fromNative(err)
    }
  }

  /** How many orders were placed (createReport answered 200): what the real API would bill. */
  ordersPlaced() {
    return this.#call(() => this.#native.ordersPlaced())
  }

  /**
   * The numbers of every order placed, oldest first: the service's order list as a user reads
   * it in QCC's console, including orders whose createReport answer was lost.
   * @returns {string[]}
   */
  orderNumbers() {
    return this.#call(() => this.#native.orderNumbers())
  }

  /**
   * How many requests reached an endpoint.
   * @param {'createReport'|'getReportInfo'|'download'|'other'} endpoint
   */
  count(endpoint) {
    checkString(endpoint, 'endpoint')
    return this.#call(() => this.#native.count(endpoint))
  }

  /** Every request so far, oldest first. */
  requests() {
    return this.#call(() => this.#native.requests()).map((r) => ({
      endpoint: r.endpoint,
      query: r.query.map(([k, v]) => [k, v]),
      timespan: r.timespan ?? null,
      tokenValid: r.tokenValid,
      apiStatus: r.apiStatus ?? null,
      httpStatus: r.httpStatus,
      range: r.range ?? null,
    }))
  }

  /** Stops serving and drops open connections. Safe to call twice. */
  async close() {
    try {
      await this.#native.close()
    } catch (err) {
      throw fromNative(err)
    }
  }
}

/** The version of the Rust client inside the addon. */
const version = native.nativeVersion()

module.exports = {
  Client,
  Sandbox,
  QccError,
  Table,
  readTables,
  sign,
  version,
  ERROR_KINDS,
  REPORT_TYPES,
  SCENARIOS,
}
