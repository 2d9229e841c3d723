'use strict'
/**
 * The one place where failures become `QccError`s.
 *
 * The native addon rejects with a plain `Error` whose message is a marked JSON payload
 * (`qcc-radar:{"kind":…,"code":…,"message":…,"serverMessage":…,"orderNo":…}`), because napi
 * cannot attach properties to a rejection made off the JS thread. `fromNative` rebuilds it; errors napi
 * raises itself while converting arguments become `config` errors, and anything else becomes
 * `internal`, so that `instanceof QccError` holds for every error this package throws. The
 * payload's `message` is already the Rust core's `Display` of the error (its text, then
 * ` [status N]` and ` (server said: …)` when the API answered), so the format lives in one
 * place, shared by every binding, and is not rebuilt here.
 *
 * Aborts follow Node's convention (`err.name === 'AbortError'`, the signal's reason as
 * `err.cause`), on a `QccError` of kind `cancelled`, so both `instanceof QccError` checks and
 * `err.name === 'AbortError'` checks work.
 */

const native = require('./native.js')

/**
 * Every error kind, as `QccError#kind` spells it (the same names in every qcc-radar binding),
 * taken from the Rust core (`ErrorKind::ALL`) so it cannot fall behind it.
 * @type {readonly string[]}
 */
const ERROR_KINDS = Object.freeze(native.errorKinds())

const MARKER = 'qcc-radar:'

/** napi's own statuses for arguments of the wrong type. */
const ARGUMENT_STATUSES = new Set([
  'InvalidArg',
  'ObjectExpected',
  'StringExpected',
  'NameExpected',
  'FunctionExpected',
  'NumberExpected',
  'BooleanExpected',
  'ArrayExpected',
  'BigintExpected',
  'DateExpected',
  'ArrayBufferExpected',
])

/**
 * A qcc-radar failure: a kind to branch on, the API's status code, the server's `msg`, and the
 * order it concerns (so a paid order can be resumed instead of ordered again).
 */
class QccError extends Error {
  /**
   * @param {string} message what happened and what to do, used as it is (for errors from the
   *   addon, the Rust core's message with its ` [status N]` and ` (server said: …)`)
   * @param {{kind?: string, code?: number|null, serverMessage?: string|null, orderNo?: string|null, cause?: unknown}} [details]
   */
  constructor(message, details = {}) {
    const code = typeof details.code === 'number' ? details.code : null
    const serverMessage = typeof details.serverMessage === 'string' ? details.serverMessage : null
    const orderNo = typeof details.orderNo === 'string' && details.orderNo !== '' ? details.orderNo : null
    super(String(message), 'cause' in details ? { cause: details.cause } : undefined)
    const kind =
      details.kind !== undefined && ERROR_KINDS.includes(details.kind) ? details.kind : 'internal'
    Object.defineProperty(this, 'name', {
      value: 'QccError',
      enumerable: false,
      writable: true,
      configurable: true,
    })
    /** One of `ERROR_KINDS`. */
    this.kind = kind
    /** The API's status code when it answered with one, else `null`. */
    this.code = code
    /** The server's own `msg` (often Chinese), else `null`. */
    this.serverMessage = serverMessage
    /**
     * The order this error concerns when one exists (a wait that timed out, a failed report, a
     * download or archive failure after ordering), else `null`: resume it with
     * `waitForReport` / `downloadReport` (or re-run `fetchReport`) instead of paying again.
     */
    this.orderNo = orderNo
  }

  /** `{ kind, code, message, serverMessage, orderNo }`, as the CLI prints errors with `--json`. */
  toJSON() {
    return {
      kind: this.kind,
      code: this.code,
      message: this.message,
      serverMessage: this.serverMessage,
      orderNo: this.orderNo,
    }
  }
}

/**
 * A `config` error: bad arguments, nothing was sent.
 * @param {string} message
 */
function configError(message) {
  return new QccError(message, { kind: 'config' })
}

/**
 * Turns anything the native addon threw or rejected with into a `QccError`.
 * @param {unknown} err
 * @returns {QccError}
 */
function fromNative(err) {
  if (err instanceof QccError) return err
  const message = err instanceof Error ? err.message : String(err)
  if (message.startsWith(MARKER)) {
    try {
      const payload = JSON.parse(message.slice(MARKER.length))
      return new QccError(payload.message, {
        kind: payload.kind,
        code: payload.code,
        serverMessage: payload.serverMessage,
        orderNo: payload.orderNo,
      })
    } catch {
      // Fall through: report it as internal, with what arrived.
    }
  }
  const status =
    err !== null && typeof err === 'object' && 'code' in err ? String(err.code) : undefined
  if (status !== undefined && ARGUMENT_STATUSES.has(status)) {
    return new QccError(`invalid argument: ${message}`, { kind: 'config', cause: err })
  }
  return new QccError(`unexpected failure in qcc-radar: ${message}; please report this`, {
    kind: 'internal',
    cause: err,
  })
}

/**
 * The rejection of an operation stopped by an `AbortSignal`.
 * @param {AbortSignal} signal
 * @param {string} what
 * @param {string|null} [orderNo] the order the stopped work concerned, when the core said
 */
function abortError(signal, what, orderNo = null) {
  const err = new QccError(`${what} was aborted`, { kind: 'cancelled', cause: signal.reason, orderNo })
  Object.defineProperty(err, 'name', {
    value: 'AbortError',
    enumerable: false,
    writable: true,
    configurable: true,
  })
  return err
}

module.exports = { QccError, ERROR_KINDS, fromNative, configError, abortError }
