// A typed use of the package, checked by `tsc --strict --noEmit` in CI: options, results,
// errors and abort signals all have precise types.
import {
  Client,
  QccError,
  Sandbox,
  readTables,
  sign,
  type CellValue,
  type FetchOptions,
  type Report,
  type ReportInfo,
  type Table,
  type Tables,
} from 'qcc-radar'

async function fetchToday(outDir: string, signal: AbortSignal): Promise<Report | null> {
  const sandbox: Sandbox = await Sandbox.start({ scenario: 'normal', pollsUntilReady: 1 })
  const client = new Client({
    ...sandbox.clientOptions(),
    pollInitialMs: 50,
    waitTimeoutMs: 60_000,
    onProgress: (event) => {
      if (event.type === 'downloading') console.log(`${event.received} of ${event.total ?? '?'} bytes`)
      else if (event.type === 'polled') console.log(`poll ${event.polls}: ${event.status}`)
    },
  })
  try {
    const orderNo: string | null = await client.createReport('day', { signal })
    if (orderNo === null) return null
    const info: ReportInfo = await client.waitForReport(orderNo, { timeoutMs: 30_000, signal })
    const expires: Date | null = info.expiresAt
    console.log(`status ${info.status}, link expires ${expires?.toISOString() ?? 'never'}`)
    return await client.downloadReport(orderNo, outDir, { signal })
  } catch (err) {
    if (err instanceof QccError) {
      const code: number | null = err.code
      const order: string | null = err.orderNo
      console.error(`${err.kind} ${code ?? '-'} ${order ?? '-'}: ${err.message} ${err.serverMessage ?? ''}`)
    }
    throw err
  } finally {
    client.close()
    await sandbox.close()
  }
}

// The ledger-backed whole flow: a re-run returns the same report; after `unconfirmed_order`
// (a lost createReport answer) a person decides, and `newOrder` orders anyway.
async function fetchIntoFolder(client: Client, outDir: string, options: FetchOptions): Promise<Report | null> {
  try {
    return await client.fetchReport('week', outDir, options)
  } catch (err) {
    if (err instanceof QccError && err.kind === 'unconfirmed_order' && options.newOrder !== true) {
      console.error(`check QCC's order list before ordering again: ${err.message}`)
    }
    throw err
  }
}
void fetchIntoFolder

// After unconfirmed_order: the order found in QCC's console is resumed, not ordered again.
async function resumeFound(client: Client, outDir: string, orderNo: string): Promise<Report | null> {
  return client.fetchReport('day', outDir, { orderNo, timeoutMs: 60_000 })
}
void resumeFound

// `await using` closes the client at the end of the scope, cancelled calls settled, whatever
// happens; every client setting is typed (times in ms).
async function scoped(outDir: string): Promise<Report | null> {
  await using client = new Client({ requestTimeoutMs: 10_000, retryBudgetMs: 30_000, pollJitter: 0, unzipPassword: 'from-a-vault' })
  return client.fetchReport('month', outDir, { newOrder: false })
}
void scoped

// A report's contents as tables: rows as objects, typed cells, skipped files with a reason.
async function summarise(report: Report): Promise<number> {
  const tables: Tables = await report.tables()
  for (const skipped of tables.skipped) console.log(`skipped ${skipped.name}: ${skipped.kind} (${skipped.reason})`)
  let rows = 0
  for (const table of tables) {
    const t: Table = table
    const first: Record<string, CellValue> | undefined = t.rows()[0]
    const ipc: Buffer = t.toArrowIPC()
    console.log(t.name, t.sheet ?? '-', t.columns.join(','), t.columnKinds[0], first, ipc.byteLength)
    rows += t.numRows
  }
  const again = await readTables(report.folder)
  return rows + again.length
}
void summarise

const token: string = sign('key', 1_700_000_000, 'secret')
console.log(token)
void fetchToday('reports', AbortSignal.timeout(60_000)).then((r) => console.log(r?.files.length))
