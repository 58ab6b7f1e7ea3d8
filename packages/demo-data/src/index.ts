import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { DemoEventInput } from './demo-event-input.js'

export type { DemoEventInput } from './demo-event-input.js'
export { readTimeline, type Timeline, type TimelineEntry, timelinePath } from './timeline.js'

/** data/events.ndjson: the demo data, one event input per line, in the order they must be recorded. */
export const demoEventsPath = new URL('../data/events.ndjson', import.meta.url)

/** The demo event inputs, in file order. */
export const readDemoEvents = (): DemoEventInput[] =>
  readFileSync(fileURLToPath(demoEventsPath), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DemoEventInput)
