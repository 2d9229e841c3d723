// A report's contents as tables: fetch the sandbox's realistic report (JSON envelopes, a GBK
// CSV, a two-sheet workbook), print each table's rows, and hand one to apache-arrow.
// `npm install apache-arrow` for the last step; qcc-radar itself does not need it.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import { Client, Sandbox } from 'qcc-radar'

const sandbox = await Sandbox.start({ scenario: 'tables' })
const client = new Client({ ...sandbox.clientOptions(), pollInitialMs: 100 })
const outDir = await mkdtemp(join(tmpdir(), 'qcc-radar-tables-'))
try {
  const report = await client.fetchReport('day', outDir, { timeoutMs: 60_000 })
  if (report === null) throw new Error('no risk changes, so no report')
  const tables = await report.tables() // or readTables(folder) for a report already on disk
  for (const table of tables) {
    console.log(`${table.name}: ${table.numRows} rows; ${table.columns.join(', ')}`)
  }
  for (const { name, reason } of tables.skipped) console.log(`${name}: skipped (${reason})`)

  const digest = tables.find((t) => t.name.endsWith('.csv')) // GBK, decoded
  console.log(digest.rows()[0]) // { '序号': 1, '企业名称': '杭州云栖智能科技有限公司', … }

  const arrow = tableFromIPC(digest.toArrowIPC()) // columnar, typed: Int64 as bigint
  console.log(arrow.getChild('企业名称').toArray().slice(0, 3))
} finally {
  client.close()
  await sandbox.close()
  await rm(outDir, { recursive: true, force: true })
}
