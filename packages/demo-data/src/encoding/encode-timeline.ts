import type { DemoEventInput } from '../demo-event-input.js'
import type { Timeline } from '../timeline.js'
import { encodeCanadaChina } from './canada-china.js'
import { encodeEuMexicoChina } from './eu-mexico-china.js'
import { encodeNorthAmerica2018 } from './north-america-2018.js'
import { encodeNorthAmerica2025 } from './north-america-2025.js'
import { Recorder } from './recorder.js'
import { encodeUsChina } from './us-china.js'

/**
 * Every timeline entry as event inputs, in the order they must be recorded: by `occurredAt`, and within one day in the
 * order written (a stable sort), so each aggregate opens before its later events.
 */
export function encodeTimeline(timeline: Timeline): DemoEventInput[] {
  const recorder = new Recorder(timeline.events)
  encodeNorthAmerica2018(recorder)
  encodeNorthAmerica2025(recorder)
  encodeCanadaChina(recorder)
  encodeUsChina(recorder)
  encodeEuMexicoChina(recorder)
  const unused = timeline.events.filter((entry) => !recorder.usedEntries.has(entry.id)).map((entry) => entry.id)
  if (unused.length > 0) throw new Error(`timeline entries not encoded: ${unused.join(', ')}`)
  return recorder.inputs
    .map((input, index) => ({ input, index }))
    .sort(byOccurredAt)
    .map(({ input }) => input)
}

const byOccurredAt = (a: { input: DemoEventInput; index: number }, b: { input: DemoEventInput; index: number }) =>
  a.input.occurredAt.localeCompare(b.input.occurredAt) || a.index - b.index
