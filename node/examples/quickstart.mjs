// The whole flow against an in-process sandbox: order a daily report, wait, download, extract.
// Against the real API, drop the Sandbox and set QCC_APP_KEY / QCC_SECRET_KEY instead.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, QccError, Sandbox } from 'qcc-radar'

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
