import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { encodeTimeline } from './encoding/encode-timeline.js'
import { demoEventsPath } from './index.js'
import { readTimeline } from './timeline.js'

// Regenerates data/events.ndjson from data/trade-timeline.json: `pnpm --filter @tradewatch/demo-data generate`.
const inputs = encodeTimeline(readTimeline())
writeFileSync(demoEventsPath, inputs.map((input) => `${JSON.stringify(input)}\n`).join(''))
console.log(`wrote ${inputs.length} event inputs to ${fileURLToPath(demoEventsPath)}`)
