import { readFileSync } from 'node:fs'

/** One entry of shared/data/trade-timeline.json (only the fields the encoding reads). */
export interface TimelineEntry {
  id: string
  type: string
  summary: string
  effective_date: string | null
  announced_date: string | null
  source: { title: string; url: string }
}

export interface Timeline {
  events: TimelineEntry[]
}

/** The copy of the timeline this package was derived from. */
export const timelinePath = new URL('../data/trade-timeline.json', import.meta.url)

export const readTimeline = (): Timeline => JSON.parse(readFileSync(timelinePath, 'utf8')) as Timeline
