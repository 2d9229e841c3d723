// The README's quickstart (node/examples/quickstart.mjs) through require(): the CommonJS entry of
// the installed package. Run from a folder where `npm install` put qcc-radar and its platform
// package; prints the report and exits non-zero on failure.
'use strict'
const { mkdtemp, rm } = require('node:fs/promises')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const { Client, QccError, Sandbox } = require('qcc-radar')

async function main () {
  const sandbox = await Sandbox.start({ scenario: 'normal' })
  const client = new Client({ ...sandbox.clientOptions(), pollInitialMs: 100 })
  const outDir = await mkdtemp(join(tmpdir(), 'qcc-radar-example-'))
  try {
    const report = await client.fetchReport('day', outDir, { timeoutMs: 60_000 })
    if (report === null) {
      console.log('no risk changes today, so no report')
    } else {
      console.log(`report ${report.orderNo}: ${report.files.length} files in ${report.folder}`)
    }
  } catch (err) {
    if (err instanceof QccError) console.error(`failed (${err.kind}, code ${err.code}): ${err.message}`)
    process.exitCode = 1
  } finally {
    client.close()
    await sandbox.close()
    await rm(outDir, { recursive: true, force: true })
  }
}

main()
