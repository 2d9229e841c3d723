// The ES-module typing: named and default imports resolve to the same declarations.
import qccRadar, { Client, type ErrorKind } from 'qcc-radar'

const kinds: readonly ErrorKind[] = qccRadar.ERROR_KINDS
const client: Client = new qccRadar.Client({ appKey: 'k', secretKey: 's', baseUrl: 'http://127.0.0.1:9' })
console.log(kinds.length, client instanceof Client)
client.close()
