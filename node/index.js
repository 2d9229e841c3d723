'use strict'
/**
 * qcc-radar for Node.js: order QCC Pro risk-monitoring reports, wait for them, download and
 * safely extract them.
 *
 * This file is the public API and stays thin: it checks argument types, turns options objects
 * into native calls, wires `AbortSignal`s to the native `cancel`, converts answers into plain
 * objects (`expiresAt` as a `Date`), and maps every failure through `errors.js`. The work —
 * signing, retries, clock-skew correction, downloads, safe extraction — is the shared Rust
 * client inside `native.js`'s addon, running on a tokio runtime off the event loop.
 */

const native = require('./native.js')
const { QccError, ERROR_KINDS, fromNative, configError, abortError } = require('./errors.js')
const { Table, readTables } = require('./tables.js')

/** The report types: daily, weekly and monthly digests. */
const REPORT_TYPES = Object.freeze(['day', 'week', 'month'])

/**
 * The sandbox's fault scenarios (the same names in every qcc-radar binding and the CLI), taken
 * from the sandbox itself (`Scenario::ALL`) so a new scenario is here as soon as it is there.
 * @type {readonly string[]}
 */
const SCENARIOS = Object.freeze(native.sandboxScenarios())

/** @type {Record<string, 'string'|'number'|'boolean'|'function'>} */
const CLIENT_OPTIONS = {
  appKey: 'string',
  secretKey: 'string',
  baseUrl: 'string',
  connectTimeoutMs: 'number',
  requestTimeoutMs: 'number',
  readTimeoutMs: 'number',
  waitTimeoutMs: 'number',
  pollInitialMs: 'number',
  pollMaxMs: 'number',
  pollFactor: 'number',
  maxAttempts: 'number',
  maxArchiveRatio: 'number',
  maxArchiveBytes: 'number',
  clockSkewCorrection: 'boolean',
  caFile: 'string',
  proxy: 'string',
  userAgentSuffix: 'string',
  onProgress: 'function',
}

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

const WHOLE = new Set(['maxAttempts', 'pollsUntilReady', 'port'])

/**
 * Copies the known, defined options after checking their types; unknown names are refused.
 * @param {unknown} options
 * @param {Record<string, 'string'|'number'|'boolean'|'function'>} schema
 * @param {string} what
 * @returns {Record<string, any>}
 */
function pickOptions(options, schema, what) {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw configError(`${what} must be an object, got ${typeof options}`)
  }
  /** @type {Record<string, any>} */
  const out = {}
  for (const [name, value] of Object.entries(options)) {
    const type = schema[name]
    if (type === undefined) {
      throw configError(`unknown ${what} option ${JSON.stringify(name)}; known: ${Object.keys(schema).join(', ')}`)
    }
    if (value === undefined || value === null) continue
    if (typeof value !== type) {
      throw configError(`${what} option ${name} must be a ${type}, got ${typeof value}`)
    }
    if (WHOLE.has(name) && !(Number.isSafeInteger(value) && value >= 0)) {
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
 * Checks a call's options object: only `allowed` names, a sane `timeoutMs`, a real signal, a
 * boolean `newOrder`, a string `orderNo`.
 * @param {unknown} options
 * @param {string[]} allowed
 * @returns {{timeoutMs: number | undefined, signal: AbortSignal | undefined, newOrder: boolean | undefined, orderNo: string | undefined}}
 */
function checkCallOptions(options, allowed) {
  if (options === undefined || options === null) {
    return { timeoutMs: undefined, signal: undefined, newOrder: undefined, orderNo: undefined }
  }
  if (typeof options !== 'object') throw configError(`options must be an object, got ${typeof options}`)
  for (const name of Object.keys(options)) {
    if (!allowed.includes(name)) {
      throw configError(`unknown option ${JSON.stringify(name)}; known: ${allowed.join(', ')}`)
    }
  }
  const { timeoutMs, signal, newOrder, orderNo } =
    /** @type {{timeoutMs?: unknown, signal?: unknown, newOrder?: unknown, orderNo?: unknown}} */ (options)
  if (timeoutMs !== undefined && timeoutMs !== null) {
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw configError(`timeoutMs must be a non-negative number of milliseconds, got ${timeoutMs}`)
    }
  }
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
    throw configError('signal must be an AbortSignal')
  }
  if (newOrder !== undefined && newOrder !== null && typeof newOrder !== 'boolean') {
    throw configError(`newOrder must be a boolean, got ${typeof newOrder}`)
  }
  if (orderNo !== undefined && orderNo !== null && typeof orderNo !== 'string') {
    throw configError(`orderNo must be a string, got ${typeof orderNo}`)
  }
  return {
    timeoutMs: /** @type {number|undefined} */ (timeoutMs ?? undefined),
    signal: /** @type {AbortSignal|undefined} */ (signal ?? undefined),
    newOrder: /** @type {boolean|undefined} */ (newOrder ?? undefined),
    orderNo: /** @type {string|undefined} */ (orderNo ?? undefined),
  }
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
 * returns a Promise and runs off the event loop. Call `close()` when done.
 */
class Client {
  /** @type {import('./native.js').NativeClient} */
  #native
  #nextOp = 0

  /**
   * @param {object} [options] see `index.d.ts`; unset values fall back to `QCC_APP_KEY`,
   *   `QCC_SECRET_KEY` and `QCC_BASE_URL`.
   */
  constructor(options) {
    const { onProgress, ...picked } = pickOptions(options, CLIENT_OPTIONS, 'Client')
    try {
      this.#native = new native.NativeClient(picked, onProgress ? progressListener(onProgress) : undefined)
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
    try {
      return await promise
    } catch (err) {
      const mapped = fromNative(err)
      if (mapped.kind === 'cancelled' && signal?.aborted) throw abortError(signal, what, mapped.orderNo)
      throw mapped
    } finally {
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
    const { signal } = checkCallOptions(options, ['signal'])
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
    const { signal } = checkCallOptions(options, ['signal'])
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
    const { timeoutMs, signal } = checkCallOptions(options, ['timeoutMs', 'signal'])
    const info = await this.#run('waiting for the report', signal, (op) =>
      this.#native.waitForReport(orderNo, timeoutMs, op),
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
    const { signal } = checkCallOptions(options, ['signal'])
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
    const { timeoutMs, newOrder, orderNo, signal } = checkCallOptions(options, [
      'timeoutMs',
      'newOrder',
      'orderNo',
      'signal',
    ])
    /** @type {import('./native.js').NativeFetchOptions} */
    const fetchOptions = {}
    if (timeoutMs !== undefined) fetchOptions.timeoutMs = timeoutMs
    if (newOrder !== undefined) fetchOptions.newOrder = newOrder
    if (orderNo !== undefined) fetchOptions.orderNo = orderNo
    const report = await this.#run('fetching the report', signal, (op) =>
      this.#native.fetchReport(reportType, outDir, fetchOptions, op),
    )
    return report == null ? null : toReport(report)
  }

  /**
   * Cancels every running call (each rejects with kind `cancelled`), releases the connections
   * and refuses further calls, so the process can exit. Safe to call twice.
   */
  close() {
    this.#native.close()
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
