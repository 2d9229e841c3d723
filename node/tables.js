'use strict'
/**
 * A report's contents as tables: `readTables(folder)` and `report.tables()` (issue 17).
 *
 * The files are parsed in Rust on libuv's thread pool (JSON envelopes, CSV in UTF-8 or GBK,
 * every sheet of a workbook) into Arrow record batches that stay in Rust; a `Table` here is a
 * handle with its name and columns, and JS values are made only when asked for: `rows()` builds
 * plain objects, `toArrowIPC()` hands the batch to `apache-arrow` (`tableFromIPC`) or any other
 * Arrow reader without going through JS values at all.
 *
 * Row values: an integer column gives numbers, or bigints for every value of a column holding
 * one beyond ±(2^53 − 1) (one JS type per column, nothing rounded); dates are `YYYY-MM-DD` and
 * date-times `YYYY-MM-DDTHH:MM:SS[.fff]`, Beijing wall-clock time with no zone, as the vendor
 * writes them (a `Date` would have to invent a zone).
 */

const native = require('./native.js')
const { fromNative, configError } = require('./errors.js')

const TABLE_TOKEN = Symbol('qcc-radar table')

/**
 * One table of a report: a JSON or CSV file, or one sheet of a workbook. Made by
 * `readTables` and `report.tables()`.
 */
class Table {
  /** @type {import('./native.js').NativeTable} */
  #native

  /**
   * Not for callers (it refuses without the module's token): use `readTables(folder)` or
   * `report.tables()`.
   * @param {symbol} token
   * @param {import('./native.js').NativeTable} nativeTable
   */
  constructor(token, nativeTable) {
    if (token !== TABLE_TOKEN) throw configError('use `await readTables(folder)` or `await report.tables()`')
    this.#native = nativeTable
    /** The file's path inside the report (`/` separators), `#sheet` added for a workbook sheet. */
    this.name = nativeTable.name
    /** The file it was read from. */
    this.path = nativeTable.path
    /** The workbook sheet it was read from, or `null`. @type {string | null} */
    this.sheet = nativeTable.sheet ?? null
    /** A text file's encoding (`UTF-8`, `UTF-8 with BOM`, `GB18030` …), `null` for a sheet. @type {string | null} */
    this.encoding = nativeTable.encoding ?? null
    /** The column names, in the source's order. */
    this.columns = Object.freeze(nativeTable.columns)
    /** Each column's type: `text`, `int`, `float`, `bool`, `date` or `datetime`. */
    this.columnKinds = Object.freeze(nativeTable.columnKinds)
    /** How many rows. */
    this.numRows = nativeTable.numRows
    /** Lines above the header row (a title, a "generated at" line), kept rather than dropped. */
    this.preamble = Object.freeze(nativeTable.preamble)
    Object.freeze(this)
  }

  /**
   * The rows, each a plain object keyed by column name (a new array on every call).
   * @returns {Record<string, unknown>[]}
   */
  rows() {
    try {
      return this.#native.rows()
    } catch (err) {
      throw fromNative(err)
    }
  }

  /**
   * The table as an Arrow IPC stream (schema with its metadata, one record batch), for
   * `tableFromIPC` of `apache-arrow`.
   * @returns {Buffer}
   */
  toArrowIPC() {
    try {
      return this.#native.toArrowIPC()
    } catch (err) {
      throw fromNative(err)
    }
  }
}

/**
 * The tables as an array, with the files that are not tables as its `skipped` property.
 * @param {import('./native.js').NativeTables} result
 */
function toTables(result) {
  const tables = result.tables.map((t) => new Table(TABLE_TOKEN, t))
  const skipped = Object.freeze(
    result.skipped.map((s) => Object.freeze({ name: s.name, path: s.path, kind: s.kind, reason: s.reason })),
  )
  return Object.assign(tables, { skipped })
}

/**
 * Reads every file under `folder` (a report's extracted folder) into tables, off the event
 * loop. Resolves to the tables, sorted by name, with `skipped`: the files and sheets that are
 * not tables, each with the reason. Rejects with kind `io` when the folder cannot be read.
 * @param {string} folder
 */
async function readTables(folder) {
  if (typeof folder !== 'string') {
    throw configError(`folder must be a string, got ${folder === null ? 'null' : typeof folder}`)
  }
  try {
    return toTables(await native.readTables(folder))
  } catch (err) {
    throw fromNative(err)
  }
}

module.exports = { Table, readTables }
