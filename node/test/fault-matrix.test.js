'use strict'
// The shared fault matrix (tests/fault-matrix.json), run through the npm package's public API.
//
// Every front end of qcc-radar reads the same table of sandbox scenarios, operations and
// expected outcomes (the format is in tests/fault_matrix/README.md), so this package cannot
// quietly differ from the Rust client and the command: a retried quota error, a kept
// half-archive, a `201` taken for a failure, a rejection that is not a `QccError` or the wrong
// kind would show here. Each case gets a fresh `Sandbox` and `Client`, goes through `index.js`
// only (report types and order numbers are passed as the text the matrix gives, so the
// package's own parsing must refuse `"year"` and `"../JKDAY-1"`), and is compared with
// `expect`: outcome, kind, code, the exit status the kind maps to, the orders the sandbox saw
// placed, what is left on disk (the order ledger and its lock aside), the report status, the
// order number, and whether the error carries an order number (`QccError#orderNo`).
// A case of several `steps` (version 2: the ledger's re-runs) runs them in order with the same
// sandbox, client and out folder, each step judged against its own `expect`; `setup.ledger`
// is written to `out/qcc-radar-journal.json` before the first.
//
// The secret key is QCC_LEAK_SECRET when set (the leak scan sets it), else a fresh canary. It
// must not appear in any error (message, stack, inspect, toJSON), in the inspected or
// serialised result, client or sandbox, in any file written under the case's folder (as text
// or in base64), nor in the `onProgress` events, which are the only log the package gives Node
// (the Rust core's `tracing` lines do not reach it). With QCC_LEAK_SCAN_DIR set, each case's
// folder is kept under `<dir>/node/<case id>/`, the events are written to
// `<dir>/node/progress.log` and echoed to stderr, for the scan to read.
// QCC_FAULT_MATRIX_ONLY=id,id runs only those cases.
//
// Every difference is collected and the test fails once at the end, listing them all; one line
// per case (`ok` / `FAILED`) goes to stderr as it finishes.

const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const util = require('node:util')
const { test } = require('node:test')
const { Client, QccError, Sandbox, ERROR_KINDS } = require('..')

/** The matrix, found from this file: node/test/ → the repository root. */
const MATRIX = path.resolve(__dirname, '..', '..', 'tests', 'fault-matrix.json')
const FORMAT = 'qcc-radar-fault-matrix'
/** The matrix versions this runner reads (1 predates the ledger every front end now keeps). */
const VERSIONS = [2]
/** Where `setup.ledger` goes in the out folder (`qcc_radar::LEDGER_FILE`). */
const LEDGER_FILE = 'qcc-radar-journal.json'
/** The app key of a case without a sandbox (nothing checks it there). */
const APP_KEY = 'fault-matrix-app-key'
/** Cases run at once: enough to be quick, few enough that the timing cases are not starved. */
const CONCURRENCY = 4
/** A case that has not settled by then is a failure (and its client is closed). */
const CASE_DEADLINE_MS = 120_000

/**
 * DESIGN.md's exit codes, written once: what the `qcc-radar` command exits with for each error
 * kind. The package has no exit statuses of its own, so a kind is checked against this table.
 * @type {Record<string, number>}
 */
const EXIT_STATUS = {
  config: 2,
  auth: 3,
  quota: 3,
  permission: 3,
  invalid_request: 3,
  report_failed: 4,
  timeout: 5,
  transport: 6,
  archive: 7,
  unconfirmed_order: 8,
  io: 9,
}

/** The matrix file is not one this runner can read. */
class MatrixError extends Error {}

/** A step before the operation failed (the `$created` order was not placed). */
class Precondition extends Error {}

/** Reads and checks the matrix: its format and a version this runner knows. */
function loadMatrix(file = MATRIX) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
  if (doc === null || typeof doc !== 'object' || doc.format !== FORMAT) {
    throw new MatrixError(`${file} is not a ${FORMAT} file (format ${JSON.stringify(doc && doc.format)})`)
  }
  if (!VERSIONS.includes(doc.version)) {
    throw new MatrixError(
      `${file} is version ${JSON.stringify(doc.version)} of the fault matrix; this runner ` +
        `(node/test/fault-matrix.test.js) reads version(s) ${VERSIONS.join(', ')}: update it`,
    )
  }
  return doc
}

/** The leak scan's secret, else this run's own recognisable canary. */
function secretKey() {
  return process.env.QCC_LEAK_SECRET || `qcc-fm-canary-${crypto.randomBytes(8).toString('hex')}`
}

/** Where the leak scan wants this suite's files, if it is running. */
function scanRoot() {
  const d = process.env.QCC_LEAK_SCAN_DIR
  return d ? path.join(d, 'node') : null
}

/** Every `onProgress` event of the run, as lines; echoed to stderr for the leak scan. */
class ProgressLog {
  /** @param {boolean} echo */
  constructor(echo) {
    this.echo = echo
    /** @type {string[]} */
    this.lines = []
  }

  /** A listener for one case's client. */
  listener(caseId) {
    return (event) => {
      const line = `progress ${caseId}: ${util.inspect(event, { depth: null, breakLength: Infinity })}`
      this.lines.push(line)
      if (this.echo) process.stderr.write(`${line}\n`)
    }
  }
}

/** The case's sandbox, with the matrix's overrides (the option names are the package's). */
async function startSandbox(spec, secret) {
  const opts = { scenario: spec.scenario, secretKey: secret }
  if (spec.polls_until_ready != null) opts.pollsUntilReady = spec.polls_until_ready
  if (spec.slow_ready_after_ms != null) opts.slowReadyAfterMs = spec.slow_ready_after_ms
  if (spec.link_ttl_ms != null) opts.linkTtlMs = spec.link_ttl_ms
  if (spec.large_bytes != null) opts.largeBytes = spec.large_bytes
  return Sandbox.start(opts)
}

/**
 * A client polling every `poll_ms` of the matrix: an initial delay equal to the largest, a
 * factor of 1 and no jitter.
 */
function makeClient(m, baseUrl, appKey, secret, onProgress) {
  const d = m.defaults
  return new Client({
    baseUrl,
    appKey,
    secretKey: secret,
    pollInitialMs: d.poll_ms,
    pollMaxMs: d.poll_ms,
    pollFactor: 1,
    pollJitter: 0,
    waitTimeoutMs: d.wait_timeout_ms,
    onProgress,
  })
}

/** Everything a value shows as text: inspected (hidden fields too), serialised, stringified. */
function shownAs(value) {
  const out = [util.inspect(value, { depth: null, showHidden: true }), String(value)]
  try {
    out.push(JSON.stringify(value) ?? '')
  } catch (err) {
    out.push(`unserialisable: ${err}`)
  }
  return out
}

/** The case's steps: its `steps`, or the case itself as the one step. */
function stepsOf(c) {
  return Array.isArray(c.steps) ? c.steps : [c]
}

/** Runs a step's operation through the package's public API; returns what it gave. */
async function operate(m, c, client, out) {
  const args = c.args || {}
  const reportType = args.report_type ?? m.defaults.report_type
  const timeoutMs = args.timeout_ms ?? m.defaults.wait_timeout_ms
  const got = {
    outcome: '?',
    /** @type {unknown} */
    error: null,
    reportStatus: null,
    orderNo: null,
    report: null,
    /** The order a download asked for (its report must be for that order). */
    askedFor: undefined,
    /** Everything the result or error shows as text, for the secret check. */
    shown: [],
  }

  const order = async () => {
    const text = args.order_no
    if (text !== '$created') return String(text)
    let o
    try {
      o = await client.createReport(reportType)
    } catch (err) {
      throw new Precondition(`the order to work on was not placed: ${util.inspect(err)}`)
    }
    if (o === null) throw new Precondition('the order to work on was not placed: no change')
    return o
  }

  try {
    switch (c.operation) {
      case 'fetch': {
        const r = await client.fetchReport(reportType, out, { timeoutMs, newOrder: args.new_order === true })
        got.shown.push(...shownAs(r))
        if (r === null) got.outcome = 'no_change'
        else Object.assign(got, { outcome: 'ok', report: r, orderNo: r.orderNo })
        break
      }
      case 'create': {
        const o = await client.createReport(reportType)
        got.shown.push(...shownAs(o))
        Object.assign(got, o === null ? { outcome: 'no_change' } : { outcome: 'ok', orderNo: o })
        break
      }
      case 'status':
      case 'wait': {
        const o = await order()
        const info =
          c.operation === 'status'
            ? await client.reportInfo(o)
            : await client.waitForReport(o, { timeoutMs })
        got.shown.push(...shownAs(info))
        Object.assign(got, { outcome: 'ok', orderNo: o, reportStatus: info.status })
        break
      }
      case 'download': {
        const o = await order()
        const r = await client.downloadReport(o, out)
        got.shown.push(...shownAs(r))
        Object.assign(got, { outcome: 'ok', report: r, orderNo: r.orderNo, askedFor: o })
        break
      }
      default:
        throw new Precondition(`unknown operation ${JSON.stringify(c.operation)}`)
    }
  } catch (err) {
    if (err instanceof Precondition) throw err
    got.outcome = 'error'
    got.error = err
    got.shown.push(...shownAs(err))
    if (err instanceof Error) got.shown.push(err.message, String(err.stack))
    if (err instanceof QccError) got.shown.push(JSON.stringify(err.toJSON()), String(err.serverMessage))
  }
  return got
}

// ---------------------------------------------------------------------------------------------
// Comparing with `expect`.

/** Names directly in `dir` (none when it is not a folder). */
function names(dir) {
  try {
    return fs.readdirSync(dir).sort()
  } catch {
    return []
  }
}

/** Every non-folder under `dir`, recursively, symlinks not followed. */
function allFiles(dir) {
  const out = []
  const walk = (d) => {
    let entries
    try {
      entries = fs.readdirSync(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.push(p)
    }
  }
  walk(dir)
  return out.sort()
}

/** Whether `p` is a regular file (a symlink is not). */
function isRegularFile(p) {
  try {
    return fs.lstatSync(p).isFile()
  } catch {
    return false
  }
}

/** Whether `p` is a real folder (a symlink is not). */
function isRealDir(p) {
  try {
    return fs.lstatSync(p).isDirectory()
  } catch {
    return false
  }
}

/**
 * Every difference between what a step gave and its `expect`; `requestsBefore` is how many
 * requests the sandbox had seen before the step.
 */
function judge(m, c, got, sandbox, parent, out, requestsBefore = 0) {
  const x = c.expect
  const bad = []
  const err = got.error
  if (got.outcome !== x.outcome) {
    bad.push(`outcome ${got.outcome} (error: ${err ? util.inspect(err) : null}), expected ${x.outcome}`)
  }

  let kind = null
  let code = null
  if (err !== null) {
    if (!(err instanceof QccError)) {
      bad.push(`rejected with ${util.inspect(err)}, not a QccError`)
    } else {
      kind = err.kind
      code = err.code
      if (err.name !== 'QccError') bad.push(`a QccError named ${err.name}`)
      if (!ERROR_KINDS.includes(err.kind)) bad.push(`kind ${err.kind} is not one of ERROR_KINDS`)
    }
  }
  if (kind !== x.kind) bad.push(`kind ${JSON.stringify(kind)}, expected ${JSON.stringify(x.kind)}`)
  if (code !== x.code) bad.push(`code ${code}, expected ${x.code}`)
  const exit = err === null ? 0 : (EXIT_STATUS[kind ?? ''] ?? null)
  if (exit !== x.exit_status) {
    bad.push(`kind ${JSON.stringify(kind)} maps to exit status ${exit}, the matrix says ${x.exit_status}`)
  }

  if (x.orders_placed != null) {
    const placed = sandbox === null ? null : sandbox.ordersPlaced()
    if (placed !== x.orders_placed) bad.push(`${placed} orders placed, expected ${x.orders_placed}`)
  }
  // A config error is refused before anything is sent (tests/fault_matrix/README.md).
  const sent = sandbox === null ? 0 : sandbox.requests().length - requestsBefore
  if (x.kind === 'config' && sent !== 0) {
    bad.push(`a config error, yet the sandbox saw ${sent} request(s)`)
  }
  if (typeof x.error_order_no === 'boolean') {
    const carried = err instanceof QccError ? err.orderNo : undefined
    const has = typeof carried === 'string' && carried.length > 0
    if (has !== x.error_order_no || (!has && carried !== null)) {
      bad.push(`the error carries orderNo ${util.inspect(carried)}, expected ${x.error_order_no ? 'one' : 'null'}`)
    }
    if (err instanceof QccError && err.toJSON().orderNo !== carried) {
      bad.push(`toJSON() gives orderNo ${util.inspect(err.toJSON().orderNo)}, the error ${util.inspect(carried)}`)
    }
  }
  if ('report_status' in x && got.reportStatus !== x.report_status) {
    bad.push(`report status ${JSON.stringify(got.reportStatus)}, expected ${JSON.stringify(x.report_status)}`)
  }
  if ('order_no_prefix' in x && !String(got.orderNo ?? '').startsWith(x.order_no_prefix)) {
    bad.push(`order ${JSON.stringify(got.orderNo)}, expected a ${x.order_no_prefix}… number`)
  }

  // Nothing may stand beside the out folder: an archive entry that escaped would land there.
  const beside = names(parent).filter((n) => n !== 'out')
  if (beside.length > 0) bad.push(`written beside the out folder: ${JSON.stringify(beside)}`)
  const bookkeeping = new Set(Array.isArray(m.bookkeeping) ? m.bookkeeping : [])
  const inOut = names(out).filter((n) => !bookkeeping.has(n))
  if (x.files === 'report') {
    const r = got.report
    if (r === null) {
      bad.push('no report returned')
    } else {
      const order = r.orderNo
      if (got.askedFor !== undefined && order !== got.askedFor) {
        bad.push(`a report for order ${order}, asked for ${got.askedFor}`)
      }
      const want = [`${order}.zip`, order].sort()
      if (JSON.stringify(inOut) !== JSON.stringify(want)) {
        bad.push(`the out folder holds ${JSON.stringify(inOut)}, expected ${JSON.stringify(want)}`)
      }
      const archive = path.join(out, `${order}.zip`)
      if (r.archive !== archive || !isRegularFile(archive)) bad.push(`archive ${r.archive}, expected the file ${archive}`)
      const folder = path.join(out, order)
      if (r.folder !== folder || !isRealDir(folder)) bad.push(`folder ${r.folder}, expected the folder ${folder}`)
      const onDisk = allFiles(folder)
      const irregular = onDisk.filter((p) => !isRegularFile(p))
      if (irregular.length > 0) bad.push(`not regular files: ${JSON.stringify(irregular)}`)
      const returned = Array.isArray(r.files) ? [...r.files].sort() : r.files
      if (!Array.isArray(returned) || returned.length === 0 || JSON.stringify(returned) !== JSON.stringify(onDisk)) {
        bad.push(`returned files ${JSON.stringify(r.files)}, on disk ${JSON.stringify(onDisk)}`)
      }
    }
  } else if (x.files === 'none' && inOut.length > 0) {
    bad.push(`left in the out folder: ${JSON.stringify(inOut)}`)
  }
  return bad
}

/**
 * Where the secret shows: in the texts given, or in a file under `parent` (as text or in
 * base64, as the leak scan looks for it).
 */
function leaks(secret, texts, parent) {
  const bad = texts
    .filter((t) => typeof t === 'string' && t.includes(secret))
    .map((t) => `the secret shows in ${JSON.stringify(t.split(secret).join('<SECRET>').slice(0, 200))}`)
  const needles = [Buffer.from(secret), Buffer.from(Buffer.from(secret).toString('base64').replace(/=+$/, ''))]
  for (const f of allFiles(parent)) {
    if (!isRegularFile(f)) continue
    const data = fs.readFileSync(f)
    if (needles.some((n) => data.includes(n))) bad.push(`${f} holds the secret`)
  }
  return bad
}

// ---------------------------------------------------------------------------------------------
// Running a case.

/** The case's parent folder (fresh, empty) and whether to keep it afterwards. */
function caseParent(caseId) {
  const root = scanRoot()
  if (root === null) return { parent: fs.mkdtempSync(path.join(os.tmpdir(), `qcc-fm-node-${caseId}-`)), keep: false }
  const parent = path.join(root, caseId)
  fs.rmSync(parent, { recursive: true, force: true })
  fs.mkdirSync(parent, { recursive: true })
  return { parent, keep: true }
}

/** Runs one case; resolves to its differences (empty when it passed). */
async function runCase(m, c, secret, progress) {
  let sandbox = null
  if (c.sandbox != null) {
    try {
      sandbox = await startSandbox(c.sandbox, secret)
    } catch (err) {
      return [`the sandbox did not start: ${util.inspect(err)}`]
    }
  }
  const { parent, keep } = caseParent(c.id)
  let client = null
  try {
    let baseUrl
    let appKey
    if (c.base_url) {
      baseUrl = c.base_url
      appKey = sandbox === null ? APP_KEY : sandbox.appKey
    } else if (sandbox !== null) {
      baseUrl = sandbox.baseUrl
      appKey = sandbox.appKey
    } else {
      return ['the case names neither a sandbox nor a base_url']
    }
    client = makeClient(m, baseUrl, appKey, secret, progress.listener(c.id))
    const out = path.join(parent, 'out')
    if (c.setup != null && typeof c.setup.ledger === 'string') {
      fs.mkdirSync(out, { recursive: true })
      fs.writeFileSync(path.join(out, LEDGER_FILE), c.setup.ledger)
    }
    const steps = stepsOf(c)
    const bad = []
    const shown = []
    for (const [n, step] of steps.entries()) {
      const label = steps.length > 1 ? `step ${n + 1}: ` : ''
      const requestsBefore = sandbox === null ? 0 : sandbox.requests().length
      let timer
      const deadline = new Promise((resolve) => {
        timer = setTimeout(() => resolve('deadline'), CASE_DEADLINE_MS)
      })
      let got
      try {
        got = await Promise.race([operate(m, step, client, out), deadline])
      } catch (err) {
        if (err instanceof Precondition) {
          bad.push(`${label}${err.message}`)
          break
        }
        throw err
      } finally {
        clearTimeout(timer)
      }
      if (got === 'deadline') {
        bad.push(`${label}did not settle within ${CASE_DEADLINE_MS / 1000} s`)
        break
      }
      bad.push(...judge(m, step, got, sandbox, parent, out, requestsBefore).map((b) => `${label}${b}`))
      shown.push(...got.shown)
    }
    shown.push(...shownAs(client))
    if (sandbox !== null) shown.push(...shownAs(sandbox))
    return [...bad, ...leaks(secret, shown, parent)]
  } finally {
    if (client !== null) client.close()
    if (sandbox !== null) await sandbox.close()
    if (!keep) fs.rmSync(parent, { recursive: true, force: true })
  }
}

/** The cases to run: all, or those QCC_FAULT_MATRIX_ONLY names. */
function selectedCases(m) {
  const ids = m.cases.map((c) => c.id)
  assert.equal(new Set(ids).size, ids.length, 'case ids are unique')
  assert.ok(ids.length >= 30, 'the matrix holds its cases')
  const only = process.env.QCC_FAULT_MATRIX_ONLY
  if (!only) return m.cases
  const wanted = new Set(
    only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  const unknown = [...wanted].filter((id) => !ids.includes(id))
  assert.deepEqual(unknown, [], `QCC_FAULT_MATRIX_ONLY names cases the matrix lacks: ${unknown.join(', ')}`)
  return m.cases.filter((c) => wanted.has(c.id))
}

/** Runs `work` over `items`, at most `limit` at once. */
async function pool(items, limit, work) {
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]
      await work(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}

test('every case of the fault matrix', { timeout: 600_000 }, async () => {
  const m = loadMatrix()
  const secret = secretKey()
  const root = scanRoot()
  const progress = new ProgressLog(root !== null)
  const cases = selectedCases(m)
  /** @type {string[]} */
  const failures = []
  process.stderr.write(`fault matrix, node (${cases.length} cases):\n`)
  await pool(cases, CONCURRENCY, async (c) => {
    let bad
    try {
      bad = await runCase(m, c, secret, progress)
    } catch (err) {
      bad = [`the runner failed: ${util.inspect(err)}`] // the runner itself must not stop at one case
    }
    process.stderr.write(`  ${c.id.padEnd(28)} ${bad.length === 0 ? 'ok' : 'FAILED'}\n`)
    failures.push(...bad.map((b) => `${c.id}: ${b}`))
  })
  // Progress events are queued to the JS thread without blocking the Rust side: let the last in.
  await new Promise((resolve) => setTimeout(resolve, 50))

  const log = progress.lines.join('\n')
  if (root !== null) {
    fs.mkdirSync(root, { recursive: true })
    fs.writeFileSync(path.join(root, 'progress.log'), `${log}\n`)
  }
  // A fetch that succeeded orders, polls, downloads and extracts: the log cannot be empty then.
  if (cases.some((c) => stepsOf(c).some((st) => st.operation === 'fetch' && st.expect.outcome === 'ok'))) {
    assert.ok(progress.lines.length > 0, 'the package reported no progress events')
  }
  if (log.includes(secret)) failures.push('a progress event shows the secret')
  assert.ok(
    failures.length === 0,
    `${failures.length} difference(s) from tests/fault-matrix.json (node):\n${failures.join('\n')}`,
  )
})

test('an unknown matrix version or format is refused with a clear message', () => {
  const doc = loadMatrix()
  assert.ok(VERSIONS.includes(doc.version) && doc.format === FORMAT)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qcc-fm-node-version-'))
  try {
    const newer = path.join(dir, 'fault-matrix.json')
    fs.writeFileSync(newer, JSON.stringify({ ...doc, version: 3 }))
    assert.throws(() => loadMatrix(newer), (err) => err instanceof MatrixError && /version 3 of the fault matrix/.test(err.message))
    // Version 1 expected a ledger-less front end: refused too.
    fs.writeFileSync(newer, JSON.stringify({ ...doc, version: 1 }))
    assert.throws(() => loadMatrix(newer), (err) => err instanceof MatrixError && /version 1 of the fault matrix/.test(err.message))
    fs.writeFileSync(newer, JSON.stringify({ ...doc, format: 'something-else' }))
    assert.throws(() => loadMatrix(newer), (err) => err instanceof MatrixError && /is not a qcc-radar-fault-matrix file/.test(err.message))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('the exit status table covers every error kind the matrix can describe', () => {
  // `cancelled` and `internal` are not outcomes of the matrix (no abort, no bug).
  assert.deepEqual(
    ERROR_KINDS.filter((k) => k !== 'cancelled' && k !== 'internal').sort(),
    Object.keys(EXIT_STATUS).sort(),
  )
})

test('the runner reports every difference', async () => {
  // Not vacuous: a case run against expectations it does not meet yields one difference per
  // field that differs.
  const m = loadMatrix()
  const c = structuredClone(m.cases.find((x) => x.id === 'fetch_quota'))
  c.id = 'runner_self_check' // its own folder under QCC_LEAK_SCAN_DIR
  Object.assign(c.expect, { outcome: 'ok', kind: null, code: null, exit_status: 0, orders_placed: 1, files: 'report', error_order_no: true })
  const bad = await runCase(m, c, secretKey(), new ProgressLog(false))
  for (const what of ['outcome error', 'kind "quota"', 'code 112', 'exit status 3', '0 orders placed', 'no report returned', 'orderNo null, expected one']) {
    assert.ok(
      bad.some((b) => b.includes(what)),
      `${what} not in ${JSON.stringify(bad)}`,
    )
  }
})

test('the runner judges every step of a case, each against its own expect', async () => {
  const m = loadMatrix()
  const c = structuredClone(m.cases.find((x) => x.id === 'fetch_rerun_same_report'))
  c.id = 'runner_self_check_steps'
  assert.equal(c.steps.length, 2)
  c.steps[1].expect.orders_placed = 2 // the re-run must not order: the runner must say so
  c.steps[1].expect.outcome = 'no_change'
  const bad = await runCase(m, c, secretKey(), new ProgressLog(false))
  assert.deepEqual(
    bad.filter((b) => b.startsWith('step 1:')),
    [],
    `step 1 meets its expect: ${JSON.stringify(bad)}`,
  )
  for (const what of ['step 2: outcome ok', 'step 2: 1 orders placed, expected 2']) {
    assert.ok(
      bad.some((b) => b.includes(what)),
      `${what} not in ${JSON.stringify(bad)}`,
    )
  }
})

test('the runner finds the secret in files and texts', () => {
  // Not the scan's secret: this file is a planted leak, under the scan's TMPDIR.
  const secret = `qcc-fm-self-check-${crypto.randomBytes(8).toString('hex')}`
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qcc-fm-node-leaks-'))
  try {
    fs.mkdirSync(path.join(dir, 'out', 'deep'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'out', 'deep', 'f.txt'), Buffer.from(secret).toString('base64'))
    fs.writeFileSync(path.join(dir, 'g.txt'), 'nothing here')
    const bad = leaks(secret, ['fine', `x${secret}y`], dir)
    assert.equal(bad.length, 2, JSON.stringify(bad))
    assert.ok(bad[1].endsWith('f.txt holds the secret'), bad[1])
    assert.ok(!bad[0].includes(secret), 'the report of a leak does not repeat the secret')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
