'use strict'
// A report's contents as tables (DESIGN.md, "Report contents as tables"; issue 17), against
// the sandbox's `tables` scenario: fetched, extracted, then read by `report.tables()` and
// `readTables(folder)`. The same expectations as the Rust suite (crates/qcc-radar/tests/
// tables.rs): table names, columns, row counts, known cells, the GBK digest decoded, the
// workbook's second sheet, the malformed CSV row kept as text, the empty file and the text file
// skipped with their reasons, and every table read back by apache-arrow's `tableFromIPC`.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { test, before, after } = require('node:test')
const { tableFromIPC } = require('apache-arrow')
const { Client, QccError, Sandbox, Table, readTables } = require('..')

const DIGEST = '风险监控日报/企业风险变化汇总.csv'
const CORP = '风险监控日报/corp.json'
const PERSON = '风险监控日报/person.json'
const NEWS = '风险监控日报/corp_news.json'
const CHANGES = '风险监控日报/风险明细.xlsx#企业变更'
const CASES = '风险监控日报/风险明细.xlsx#司法风险'
const EMPTY = '风险监控日报/明细/空白.csv'

/** One fetch of the `tables` report, shared by the tests below (they only read it). */
let sandbox, client, root, report, tables

before(async () => {
  sandbox = await Sandbox.start({ scenario: 'tables' })
  client = new Client({ ...sandbox.clientOptions(), pollInitialMs: 20, pollMaxMs: 50 })
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'qcc-radar-node-tables-'))
  report = await client.fetchReport('day', path.join(root, 'out'))
  assert.ok(report, 'the tables scenario makes a report')
  tables = await report.tables()
})

after(async () => {
  client?.close()
  await sandbox?.close()
  if (root) fs.rmSync(root, { recursive: true, force: true })
})

/** The table named `name`. */
function get(name) {
  const t = tables.find((x) => x.name === name)
  assert.ok(t, `no table ${name} in ${tables.map((x) => x.name)}`)
  return t
}

test('every file is a table or skipped with a reason', async () => {
  assert.ok(Array.isArray(tables))
  assert.deepEqual(
    tables.map((t) => t.name),
    [CORP, NEWS, PERSON, DIGEST, CHANGES, CASES],
  )
  for (const t of tables) assert.ok(t instanceof Table)
  assert.deepEqual(
    tables.skipped.map((s) => [s.name, s.kind]),
    [
      ['说明.txt', 'unknown_extension'],
      [EMPTY, 'empty'],
    ],
  )
  const empty = tables.skipped.find((s) => s.name === EMPTY)
  assert.equal(empty.reason, 'empty file')
  assert.equal(empty.path, path.join(report.folder, ...EMPTY.split('/')))
  assert.match(tables.skipped[0].reason, /\.txt/)

  // readTables on the folder gives the same.
  const again = await readTables(report.folder)
  assert.deepEqual(
    again.map((t) => t.name),
    tables.map((t) => t.name),
  )
  assert.deepEqual(again.skipped, tables.skipped)
})

test('the report stays plain data: tables() is not enumerable', async () => {
  assert.equal(typeof report.tables, 'function')
  assert.deepEqual(Object.keys(report), ['orderNo', 'reportType', 'archive', 'folder', 'files'])
  assert.equal(JSON.parse(JSON.stringify(report)).tables, undefined)
  // A re-run returns an equal report, whose tables() reads the same folder.
  const rerun = await client.fetchReport('day', path.dirname(report.folder))
  assert.deepEqual(rerun, report)
  const { tables: read } = rerun // works detached from the object too
  assert.equal((await read()).length, tables.length)
})

test("the older API's JSON envelopes", () => {
  const corp = get(CORP)
  assert.equal(corp.numRows, 6)
  assert.equal(corp.columns.length, 21)
  assert.deepEqual(corp.columns.slice(0, 8), [
    'id',
    'corpKeyNo',
    'corpName',
    'mainType',
    'mainTypeName',
    'type',
    'typeName',
    'category',
  ])
  assert.equal(corp.encoding, 'UTF-8')
  assert.equal(corp.sheet, null)
  // A code stays beside its label, each with its own type.
  const ty = corp.columns.indexOf('type')
  assert.equal(corp.columns.indexOf('typeName'), ty + 1)
  assert.equal(corp.columnKinds[ty], 'int')
  assert.equal(corp.columnKinds[corp.columns.indexOf('changeDate')], 'date')
  assert.equal(corp.columnKinds[corp.columns.indexOf('changeWay')], 'int')
  assert.equal(corp.columnKinds[corp.columns.indexOf('corpKeyNo')], 'text')
  const rows = corp.rows()
  assert.equal(rows.length, 6)
  assert.equal(rows[0].type, 11)
  assert.equal(rows[0].typeName, '裁判文书')
  assert.equal(rows[0].corpName, '杭州云栖智能科技有限公司')
  assert.equal(rows[1].typeName, '被执行人')
  assert.deepEqual(Object.keys(rows[0]), corp.columns)
  assert.match(rows[0].changeDate, /^\d{4}-\d{2}-\d{2}$/)

  const person = get(PERSON)
  assert.equal(person.numRows, 3)
  assert.deepEqual(person.columns.slice(0, 3), ['personKeyNo', 'personName', 'id'])
  assert.equal(person.rows()[1].personName, '陈丽华')

  const news = get(NEWS)
  assert.equal(news.numRows, 4)
  const first = news.rows()[0]
  assert.equal(first.newsTagsList, '["债务违约","被执行"]')
  assert.equal(first.impactDesc, '消极')
  assert.equal(news.columnKinds[news.columns.indexOf('publishTime')], 'datetime')
  assert.match(first.publishTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
})

test('the GBK digest, its quoted line break and its malformed row', () => {
  const t = get(DIGEST)
  assert.equal(t.encoding, 'GB18030')
  assert.deepEqual(t.columns, [
    '序号',
    '企业名称',
    '统一社会信用代码',
    '风险类型代码',
    '风险类型',
    '变化数量',
    '最新变化日期',
    '备注',
    '_raw_row',
  ])
  assert.deepEqual(t.columnKinds, ['int', 'text', 'text', 'int', 'text', 'int', 'date', 'text', 'text'])
  assert.equal(t.numRows, 6)
  const rows = t.rows()
  assert.equal(rows[0]['企业名称'], '杭州云栖智能科技有限公司')
  assert.equal(rows[0]['序号'], 1)
  assert.equal(rows[1]['备注'], '执行标的：1,250,000元')
  assert.equal(rows[2]['备注'], '变更前：张建国\r\n变更后：李卫东')
  // Row 5 has one field too many: kept whole, as text, its cells null.
  const bad = rows[4]
  assert.equal(
    bad._raw_row,
    `5,广州南沙港航物流有限公司（广州,南沙）,91440115MA59CQ2P5E,1,受益人变更,1,${rows[2]['最新变化日期']},`,
  )
  for (const c of t.columns.slice(0, 8)) assert.equal(bad[c], null, c)
  assert.equal(rows[0]._raw_row, null)
  assert.equal(rows[5]['序号'], 6)
})

test("the workbook's sheets", () => {
  const changes = get(CHANGES)
  assert.equal(changes.sheet, '企业变更')
  assert.equal(changes.encoding, null)
  assert.deepEqual(changes.columns, ['序号', '企业名称', '变更事项', '变更前', '变更后', '注册资本（万元）', '变更日期'])
  assert.deepEqual(changes.columnKinds, ['int', 'text', 'text', 'text', 'text', 'float', 'date'])
  assert.equal(changes.numRows, 5)
  assert.ok(changes.preamble[0].startsWith('企业工商变更明细'), changes.preamble[0])
  assert.equal(changes.rows()[1]['注册资本（万元）'], 1200.5)

  // The second sheet.
  const cases = get(CASES)
  assert.equal(cases.sheet, '司法风险')
  assert.equal(cases.numRows, 3)
  assert.equal(cases.columns[1], '案号')
  assert.equal(cases.columnKinds[5], 'date')
  const rows = cases.rows()
  assert.equal(rows[1]['案号'], '（2024）粤0391执5521号')
  assert.equal(rows[2][cases.columns[4]], 86000.5)
  assert.equal(rows[2][cases.columns[6]], true)
  // Dates are real days: the sheet's dates count back 30 days from the digest's.
  const filed = Date.parse(rows[0][cases.columns[5]])
  const latest = Date.parse(get(DIGEST).rows()[0]['最新变化日期'])
  assert.equal((latest - filed) / 86_400_000, 30)
})

test("toArrowIPC(): apache-arrow's tableFromIPC reads every table", () => {
  for (const t of tables) {
    const buf = t.toArrowIPC()
    assert.ok(Buffer.isBuffer(buf), t.name)
    const a = tableFromIPC(buf)
    assert.equal(a.numRows, t.numRows, t.name)
    assert.deepEqual(
      a.schema.fields.map((f) => f.name),
      [...t.columns],
      t.name,
    )
    assert.equal(a.schema.metadata.get('qcc_radar.name'), t.name)
    // Text cells agree with rows().
    const rows = t.rows()
    t.columns.forEach((c, i) => {
      if (t.columnKinds[i] !== 'text') return
      const col = a.getChildAt(i)
      for (let r = 0; r < t.numRows; r++) assert.equal(col.get(r), rows[r][c], `${t.name} ${c} row ${r}`)
    })
  }
  const digest = tableFromIPC(get(DIGEST).toArrowIPC())
  const first = digest.get(0).toJSON()
  assert.equal(first['企业名称'], '杭州云栖智能科技有限公司')
  assert.equal(first['序号'], 1n, 'Arrow Int64 reads as bigint')
  assert.equal(new Date(first['最新变化日期']).toISOString().slice(0, 10), get(DIGEST).rows()[0]['最新变化日期'])
  assert.equal(digest.getChild('_raw_row').get(4).slice(0, 2), '5,')
  // A date-time is wall-clock milliseconds with no zone: the row's ISO text, read as UTC.
  const news = get(NEWS)
  const ms = tableFromIPC(news.toArrowIPC()).getChild('publishTime').get(0)
  assert.equal(Number(ms), Date.parse(`${news.rows()[0].publishTime}Z`))
  const cases = tableFromIPC(get(CASES).toArrowIPC())
  assert.equal(cases.getChildAt(1).get(1), '（2024）粤0391执5521号')
})

test('integer columns: numbers when safe, else bigints for the whole column', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qcc-radar-node-ints-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  fs.writeFileSync(
    path.join(dir, 'ids.json'),
    '[{"big": 9007199254740993, "small": 9007199254740991, "at": "2024-05-01 08:30:00.250"},' +
      ' {"big": 1, "small": -9007199254740991, "at": null}]',
  )
  const [ids] = await readTables(dir)
  assert.deepEqual(ids.columnKinds, ['int', 'int', 'datetime'])
  assert.deepEqual(ids.rows(), [
    { big: 9007199254740993n, small: 9007199254740991, at: '2024-05-01T08:30:00.250' },
    { big: 1n, small: -9007199254740991, at: null },
  ])
  assert.equal(ids.rows()[0].big, tableFromIPC(ids.toArrowIPC()).getChild('big').get(0))
})

test('readTables refuses a bad folder with config or io', async () => {
  for (const bad of [42, null, '']) {
    const err = await readTables(bad).then(
      () => assert.fail('resolved'),
      (e) => e,
    )
    assert.ok(err instanceof QccError, String(err))
    assert.equal(err.kind, 'config', err.message)
  }
  const missing = path.join(os.tmpdir(), 'qcc-radar-node-no-such-folder', 'x')
  const err = await readTables(missing).then(
    () => assert.fail('resolved'),
    (e) => e,
  )
  assert.ok(err instanceof QccError, String(err))
  assert.equal(err.kind, 'io', err.message)
  assert.ok(err.message.includes('qcc-radar-node-no-such-folder'), err.message)
  assert.throws(
    () => new Table(Symbol('x'), null),
    (e) => e instanceof QccError && e.kind === 'config',
  )
})
