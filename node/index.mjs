// The ES module face of qcc-radar: the same objects as `require('qcc-radar')`, so a
// `QccError` thrown through one is `instanceof` the class imported through the other.
import qccRadar from './index.js'

export const {
  Client,
  Sandbox,
  QccError,
  Table,
  readTables,
  sign,
  version,
  ERROR_KINDS,
  REPORT_TYPES,
  SCENARIOS,
} = qccRadar

export default qccRadar
