'use strict'
// QCC_RADAR_LOG: the Rust core's log lines on the process's stderr. The logger is chosen once
// per process, by the first Client, so each case runs a child `node` with its own environment
// that fetches a report from an in-process Sandbox, and reads the child's stderr.

const assert = require('node:assert/strict')
const { execFile } = require('node:child_process')
const crypto = require('node:crypto')
const path = require('node:path')
const { test } = require('node:test')

const CHILD = `
  const fs = require('node:fs')
  const os = require('node:os')
  const path = require('node:path')
  const { Client, Sandbox } = require('.')
  ;(async () => {
    const sandbox = await Sandbox.start({ scenario: 'normal', secretKey: process.env.CHILD_SECRET })
    const client = new Client({ ...sandbox.clientOptions(), pollInitialMs: 20, pollMaxMs: 50 })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qcc-radar-node-diag-'))
    try {
      const report = await client.fetchReport('day', dir)
      console.log(report.orderNo)
    } finally {
      client.close()
      await sandbox.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })().catch((e) => { console.log('failed', String(e)); process.exitCode = 1 })
`

/** Runs the child with `env` over an environment without QCC_RADAR_LOG and RUST_LOG. */
function runChild(env) {
  const secret = `node-diag-${crypto.randomBytes(8).toString('hex')}`
  const childEnv = { ...process.env, CHILD_SECRET: secret, ...env }
  for (const name of ['QCC_RADAR_LOG', 'RUST_LOG']) if (!(name in env)) delete childEnv[name]
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', CHILD], { cwd: path.join(__dirname, '..'), env: childEnv, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ error, stdout, stderr, secret }))
  })
}

test('QCC_RADAR_LOG=debug: log lines on stderr, never the secret key', async () => {
  const { error, stdout, stderr, secret } = await runChild({ QCC_RADAR_LOG: 'debug' })
  assert.equal(error, null, stdout + stderr)
  assert.match(stdout, /^JKDAY-/)
  assert.ok(!stderr.includes(secret), stderr)
  assert.match(stderr, / DEBUG qcc_radar::stderr_log: diagnostics on stderr binding="node" /)
  assert.match(stderr, / DEBUG qcc_radar::transport: sending endpoint="createReport" /)
  assert.match(stderr, / INFO qcc_radar::client: report ordered order_no=JKDAY-\d+ report_type=day/)
  // Timestamped lines from qcc_radar only: the HTTP stack stays at warn.
  for (const line of stderr.split('\n').filter(Boolean)) {
    assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z +[A-Z]+ qcc_radar[\w:]*: /, line)
  }
})

test('neither QCC_RADAR_LOG nor RUST_LOG: nothing on stderr', async () => {
  const { error, stdout, stderr } = await runChild({})
  assert.equal(error, null, stdout + stderr)
  assert.match(stdout, /^JKDAY-/)
  assert.equal(stderr, '')
})
