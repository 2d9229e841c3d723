// Types of the public API of qcc-radar (hand-written; the generated `native.d.ts` describes
// the private addon underneath). Kept in step with index.js; `npm run typecheck` checks the
// typed examples against it.

/** Every error kind, the same names in every qcc-radar binding. */
export type ErrorKind =
  | 'auth'
  | 'quota'
  | 'permission'
  | 'invalid_request'
  | 'report_failed'
  | 'timeout'
  | 'transport'
  | 'archive'
  | 'config'
  | 'cancelled'
  | 'internal'
  | 'unconfirmed_order'
  | 'io'

/** `day`, `week` or `month`. */
export type ReportType = 'day' | 'week' | 'month'

/** `P` (being made), `S` (made) or `F` (failed). */
export type ReportStatus = 'P' | 'S' | 'F'

/** The sandbox's fault scenarios. */
export type Scenario =
  | 'normal'
  | 'no_change'
  | 'fail'
  | 'slow'
  | 'flaky'
  | 'expired_link'
  | 'quota'
  | 'bad_credentials'
  | 'unsafe_archive'
  | 'zip_bomb'
  | 'clock_skew'
  | 'large'
  | 'lost_answer'
  | 'create_hangs'
  | 'stall'
  | 'colliding_names'
  | 'encrypted'
  | 'encrypted_aes'
  | 'encrypted_no_password'
  | 'tables'

/** Every error kind. */
export declare const ERROR_KINDS: readonly ErrorKind[]
/** The report types. */
export declare const REPORT_TYPES: readonly ReportType[]
/** The sandbox scenarios. */
export declare const SCENARIOS: readonly Scenario[]
/** The version of the Rust client inside the addon. */
export declare const version: string

/**
 * Every error this package throws or rejects with. Branch on `kind`; `code` is the API's
 * status number when it answered; `orderNo` is the order the error concerns, when one exists.
 * The message is the Rust core's, the same in every binding: what happened and what to do,
 * then ` [status N]` and ` (server said: …)` when the API answered (a message given to the
 * constructor is used as it is).
 * An abort by `AbortSignal` is a `QccError` of kind `cancelled` whose `name` is `'AbortError'`
 * and whose `cause` is the signal's reason.
 */
export declare class QccError extends Error {
  constructor(
    message: string,
    details?: {
      kind?: ErrorKind
      code?: number | null
      serverMessage?: string | null
      orderNo?: string | null
      cause?: unknown
    },
  )
  readonly kind: ErrorKind
  /** The API's status code (e.g. 112), or `null` when the API did not answer with one. */
  readonly code: number | null
  /** The server's own `msg` (often Chinese), or `null`. */
  readonly serverMessage: string | null
  /**
   * The order this error concerns when one exists — a wait that timed out, a failed report, a
   * download or archive failure after ordering — else `null`. The order is placed (and
   * billed): resume it (`waitForReport`, `downloadReport`, or `fetchReport` again in the same
   * folder) rather than ordering again.
   */
  readonly orderNo: string | null
  toJSON(): {
    kind: ErrorKind
    code: number | null
    message: string
    serverMessage: string | null
    orderNo: string | null
  }
}

/**
 * Client configuration: every setting of the client, by name (the same list, rules and
 * messages in every qcc-radar binding; the README's settings table). Times are milliseconds.
 * Every field is optional; unset (or `undefined`/`null`), a value falls back to the environment
 * or its default. A bad value, a rule broken between two settings or an unknown name throws a
 * `QccError` of kind `config` naming the setting, before anything is sent.
 */
export interface ClientOptions {
  /** The app key (default `QCC_APP_KEY`). */
  appKey?: string
  /** The secret key (default `QCC_SECRET_KEY`); never printed. */
  secretKey?: string
  /** Where requests go (default `QCC_BASE_URL`, else `https://pro.qcc.com`). */
  baseUrl?: string
  /** Time allowed to open a connection, ms; more than 0 (default 10 s). */
  connectTimeoutMs?: number
  /** Time allowed for one API request, answer included, ms; more than 0 (default 30 s). */
  requestTimeoutMs?: number
  /** Time a download may go without a byte before it is retried, ms; more than 0 (default 60 s). */
  readTimeoutMs?: number
  /** Default deadline of a wait for a report (`waitForReport`, `fetchReport`), ms; 0 looks once (default 30 min). */
  waitTimeoutMs?: number
  /** Most attempts of a request that is safe to repeat; 1 means no retries (default 5). */
  maxAttempts?: number
  /** Bound of the first back-off between attempts, ms (default 250 ms). */
  retryBaseMs?: number
  /** Largest back-off bound, ms; not below `retryBaseMs` (default 8 s). */
  retryCapMs?: number
  /** No retry starts once this much time has passed since the first attempt, ms (default 60 s). */
  retryBudgetMs?: number
  /** First delay between polls while waiting, ms; more than 0 (default 2 s). */
  pollInitialMs?: number
  /** Growth of the poll delay; at least 1 (default 1.5). */
  pollFactor?: number
  /** Largest delay between polls, ms; not below `pollInitialMs` (default 30 s). */
  pollMaxMs?: number
  /** Fraction of each poll delay randomised away; 0 to 1 (default 0.2). */
  pollJitter?: number
  /** Most entries extracted from one archive; at least 1 (default 100000). */
  maxArchiveEntries?: number
  /** Largest single entry extracted, bytes; at least 1 (default 16 GiB). */
  maxArchiveEntryBytes?: number
  /** Largest total extracted from one archive, bytes; at least 1 (default 64 GiB). */
  maxArchiveBytes?: number
  /** Largest expansion ratio of an entry or archive above 16 MiB; at least 1 (default 250). */
  maxArchiveRatio?: number
  /** Learn the server's clock after a 115 answer and retry (default `true`). */
  clockSkewCorrection?: boolean
  /** A PEM file of extra CA certificates to trust, besides the system's (default none). */
  caFile?: string
  /** An HTTP(S) proxy for every request (default `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`). */
  proxy?: string
  /** Words appended to the user agent, after `qcc-radar/<version> node` (default none). */
  userAgentSuffix?: string
  /** Password of encrypted archives when getReportInfo gives none (default none); never printed. */
  unzipPassword?: string
  /**
   * Called on the JS thread with every progress event the client emits (the client thins
   * downloading and extracting events to at most one every 100 ms, plus the first and the
   * last). It never keeps the process alive; an exception it throws becomes a warning.
   */
  onProgress?: (event: ProgressEvent) => void
}

/** A step of an order's progress; `type` tells which. */
export type ProgressEvent =
  | { type: 'ordered'; orderNo: string }
  | { type: 'polled'; orderNo: string; status: ReportStatus; polls: number; elapsedMs: number }
  | { type: 'downloading'; orderNo: string; received: number; total: number | null }
  | { type: 'extracting'; orderNo: string; done: number; total: number }

/** Where an order stands. */
export interface ReportInfo {
  status: ReportStatus
  /** The signed download link when `S` (a bearer credential until it expires), else `null`. */
  url: string | null
  /** When the link expires, or `null`. */
  expiresAt: Date | null
}

/** A report on disk. */
export interface Report {
  orderNo: string
  reportType: ReportType | null
  /** The kept zip: `<outDir>/<orderNo>.zip`. */
  archive: string
  /** The folder it was extracted into: `<outDir>/<orderNo>/`. */
  folder: string
  /** The extracted files, sorted. */
  files: string[]
  /**
   * The report's files read as tables, off the event loop, with no request: `readTables(folder)`.
   * (A non-enumerable method: `JSON.stringify` and `assert.deepEqual` see only the data.)
   */
  tables(): Promise<Tables>
}

/** A column's type, as the values of `rows()` and the Arrow schema carry it. */
export type ColumnKind = 'text' | 'int' | 'float' | 'bool' | 'date' | 'datetime'

/**
 * One value of `Table#rows()`:
 * - `int`: a `number`; every value of a column holding an integer beyond ±(2^53 − 1) is a
 *   `bigint` instead (one JS type per column, nothing rounded; `JSON.stringify` needs a replacer);
 * - `float`: a `number`; `bool`: a `boolean`; `text`: a `string`;
 * - `date`: `'YYYY-MM-DD'`; `datetime`: `'YYYY-MM-DDTHH:MM:SS'` (`.fff` when it has
 *   milliseconds), Beijing wall-clock time with no zone (`new Date(value + '+08:00')` is the instant);
 * - `null` for a missing value.
 */
export type CellValue = string | number | bigint | boolean | null

/** A file, or a workbook sheet, that is not a table. */
export interface SkippedFile {
  /** Named as a table would be (`说明.txt`, `汇总.xlsx#图表`). */
  readonly name: string
  /** The file. */
  readonly path: string
  /** Why, as a stable code. */
  readonly kind: 'empty' | 'empty_sheet' | 'binary' | 'unknown_extension' | 'not_a_table' | 'unreadable'
  /** Why, as a sentence (`empty file`). */
  readonly reason: string
}

/** A report's tables, sorted by name (a workbook's sheets in workbook order), and what was skipped. */
export type Tables = Table[] & {
  /** The files and sheets that are not tables, each with the reason, sorted by name. */
  readonly skipped: readonly SkippedFile[]
}

/**
 * One table of a report: a JSON file (an array of records, or the older API's envelope whose
 * `result` is one), a CSV file (UTF-8, UTF-8 with BOM or GBK/GB18030) or one workbook sheet.
 * The rows stay in Rust as an Arrow record batch until asked for.
 */
export declare class Table {
  private constructor()
  /** The file's path inside the report (`/` separators), `#sheet` added for a workbook sheet. */
  readonly name: string
  /** The file it was read from. */
  readonly path: string
  /** The workbook sheet it was read from, or `null`. */
  readonly sheet: string | null
  /** A text file's encoding (`UTF-8`, `UTF-8 with BOM`, `GB18030` …), `null` for a sheet. */
  readonly encoding: string | null
  /** The column names as the source wrote them (a repeated name gets `_2`, a blank one `column_N`). */
  readonly columns: readonly string[]
  /** Each column's type, in column order. */
  readonly columnKinds: readonly ColumnKind[]
  /** How many rows. */
  readonly numRows: number
  /** Lines above the header row (a title, a "generated at" line), kept rather than dropped. */
  readonly preamble: readonly string[]
  /**
   * The rows, each a plain object keyed by column name (see `CellValue`); a new array on every
   * call. A CSV row that does not fit the header keeps its text in `_raw_row`, its cells `null`.
   */
  rows(): Record<string, CellValue>[]
  /**
   * The table as an Arrow IPC stream (schema with its metadata, one record batch):
   * `tableFromIPC(table.toArrowIPC())` with `apache-arrow`.
   */
  toArrowIPC(): Buffer
}

/**
 * Reads every file under `folder` (a report's extracted folder) into tables, off the event
 * loop. Rejects with kind `io` when the folder cannot be read.
 */
export declare function readTables(folder: string): Promise<Tables>

/** Options of a call that can be aborted. */
export interface SignalOptions {
  /** Aborting rejects the call with an `AbortError` `QccError` and stops the Rust work. */
  signal?: AbortSignal
}

/** Options of a call that waits. */
export interface WaitOptions extends SignalOptions {
  /** This call's wait deadline, ms; 0 looks once (default: the client's `waitTimeoutMs`). */
  timeoutMs?: number
}

/** Options of `fetchReport`. */
export interface FetchOptions extends WaitOptions {
  /**
   * Order a new report whatever the folder's ledger says (default `false`): after an
   * `unconfirmed_order` once you have checked QCC's order list and found no order, or to ask
   * again for a period already fetched. It pays for another report.
   */
  newOrder?: boolean
  /**
   * Resume this order as the period's report instead of ordering: after an `unconfirmed_order`,
   * the order you found in QCC's order list. It is waited for, downloaded and recorded in the
   * ledger, so later runs return it. Excludes `newOrder`; an order of another report type is a
   * `config` error.
   */
  orderNo?: string
}

/**
 * The QCC risk-monitoring report client. Every method that touches the network or the disk
 * returns a Promise and runs off the event loop. Call `close()` when done, or declare it with
 * `await using client = new Client(…)` (or `using`) to close it at the end of the scope.
 *
 * Diagnostics: with `QCC_RADAR_LOG=debug` (or `trace`) in the environment when the first client
 * is made, the Rust core writes its log lines to stderr (secrets redacted); unset, nothing.
 */
export declare class Client {
  constructor(options?: ClientOptions)
  readonly baseUrl: string
  readonly appKey: string
  readonly closed: boolean
  /** How many calls are still running. */
  readonly running: number
  /** Orders a report; `null` means no risk changes, so no report. Never retried once sent. */
  createReport(reportType: ReportType, options?: SignalOptions): Promise<string | null>
  /** Asks where an order stands. */
  reportInfo(orderNo: string, options?: SignalOptions): Promise<ReportInfo>
  /** Polls until the report is made (`S`); `F` rejects with `report_failed`, the deadline with `timeout`. */
  waitForReport(orderNo: string, options?: WaitOptions): Promise<ReportInfo>
  /** Downloads and extracts a made report into `outDir`. A refused archive leaves nothing behind. */
  downloadReport(orderNo: string, outDir: string, options?: SignalOptions): Promise<Report>
  /**
   * Order (or resume), wait, download, extract; `null` when there were no risk changes.
   * Backed by the order ledger in `outDir` (`qcc-radar-journal.json` and a lock file): a
   * re-run for the same server, app key, report type and period returns the same result
   * without ordering again, resumes an unfinished order, and rejects with `unconfirmed_order`
   * (ordering nothing) when an earlier createReport's answer was lost. `newOrder: true`
   * orders anyway; `orderNo` resumes that order instead of ordering.
   */
  fetchReport(reportType: ReportType, outDir: string, options?: FetchOptions): Promise<Report | null>
  /**
   * Closes the client: running calls reject with kind `cancelled` (their work stopped, partial
   * files removed), later calls with kind `config`. Closing twice is harmless.
   */
  close(): void
  /** `using`: `close()`. */
  [Symbol.dispose](): void
  /** `await using`: `close()`, then resolves once the calls it cancelled have settled. */
  [Symbol.asyncDispose](): Promise<void>
}

/** The Token for a request: upper-case hex MD5 of `appKey + timespan + secretKey`. */
export declare function sign(appKey: string, timespan: number | bigint, secretKey: string): string

/** How to start a sandbox. */
export interface SandboxOptions {
  /** Default `normal`. */
  scenario?: Scenario
  appKey?: string
  secretKey?: string
  /** getReportInfo answers `P` this many times per order before `S` (default 2). */
  pollsUntilReady?: number
  /** `slow`: `P` until this long after the order, ms (default 5 000). */
  slowReadyAfterMs?: number
  /** The download link's lifetime, ms (default 300 000). */
  linkTtlMs?: number
  /** How far a Timespan may be from the server's clock, ms (default 300 000). */
  timespanWindowMs?: number
  /** `clock_skew`: how far the server's clock runs ahead, ms (default 900 000). */
  clockSkewMs?: number
  /** `large`: the archive's size in bytes (default 64 MiB). */
  largeBytes?: number
  /** The port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
}

/** The sandbox's endpoints, as `count()` names them. */
export type SandboxEndpoint = 'createReport' | 'getReportInfo' | 'download' | 'other'

/** One request as the sandbox saw and answered it. */
export interface SandboxRequest {
  endpoint: SandboxEndpoint
  /** Query parameters, percent-decoded, in order. */
  query: [string, string][]
  timespan: string | null
  tokenValid: boolean
  apiStatus: number | null
  httpStatus: number
  range: string | null
}

/** An in-process emulator of the QCC API on 127.0.0.1, for tests and demos. */
export declare class Sandbox {
  private constructor()
  static start(options?: SandboxOptions): Promise<Sandbox>
  readonly baseUrl: string
  readonly appKey: string
  readonly secretKey: string
  readonly scenario: Scenario
  /** `{ baseUrl, appKey, secretKey }`, to spread into `new Client({ … })`. */
  clientOptions(): { baseUrl: string; appKey: string; secretKey: string }
  /** Orders placed (createReport answered 200): what the real API would bill. */
  ordersPlaced(): number
  /** Every order placed, oldest first: QCC's order list as the console shows it. */
  orderNumbers(): string[]
  count(endpoint: SandboxEndpoint): number
  requests(): SandboxRequest[]
  close(): Promise<void>
}
