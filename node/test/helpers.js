'use strict'
// Shared set-up for the behaviour suite: a sandbox per test, a client pointed at it with
// fast polling, and a fresh temporary folder, all torn down after the test.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Client, Sandbox } = require('..')

/** Starts a sandbox and a fast-polling client; registers cleanup on the test context. */
async function setUp(t, sandboxOptions = {}, clientOptions = {}) {
  const sandbox = await Sandbox.start(sandboxOptions)
  const client = new Client({
    ...sandbox.clientOptions(),
    pollInitialMs: 20,
    pollMaxMs: 50,
    ...clientOptions,
  })
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'qcc-radar-node-test-'))
  const outDir = path.join(root, 'out')
  t.after(async () => {
    client.close()
    await sandbox.close()
    fs.rmSync(root, { recursive: true, force: true })
  })
  return { sandbox, client, root, outDir }
}

/**
 * What `fetchReport` and `downloadReport` keep in a report folder besides the reports: the
 * order ledger and its lock (`qcc_radar::LEDGER_FILE`, `qcc_radar::LOCK_FILE`).
 */
const BOOKKEEPING = Object.freeze(['qcc-radar-journal.json', '.qcc-radar.lock'])

/**
 * Every file and folder under `dir`, relative, sorted ([] when it does not exist). The ledger
 * and its lock are left out unless `bookkeeping` is true.
 */
function listTree(dir, { bookkeeping = false } = {}) {
  if (!fs.existsSync(dir)) return []
  const out = []
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name)
      if (!bookkeeping && BOOKKEEPING.includes(entry.name)) continue
      out.push(path.relative(dir, p))
      if (entry.isDirectory()) walk(p)
    }
  }
  walk(dir)
  return out.sort()
}

/** Awaits `promise` and returns what it rejected with; fails if it resolved. */
async function rejection(promise) {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection, but the promise resolved')
}

module.exports = { setUp, listTree, rejection, BOOKKEEPING }
