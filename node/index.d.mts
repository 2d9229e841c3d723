// Types for `import … from 'qcc-radar'`: the same declarations as index.d.ts, plus the
// default export that index.mjs provides.
import * as qccRadar from './index.js'

export * from './index.js'
export default qccRadar
