import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { eventCatalogue } from './event-catalogue.js'
import { renderEventsMarkdown } from './write-docs.js'

describe('docs/EVENTS.md', () => {
  const markdown = renderEventsMarkdown()

  it('is the committed file (regenerate with `pnpm docs:events`)', () => {
    expect(readFileSync(new URL('../../../../docs/EVENTS.md', import.meta.url), 'utf8')).toBe(markdown)
  })
  it('has a section for every event type and the envelope', () => {
    for (const type of Object.keys(eventCatalogue)) expect(markdown).toContain(`### ${type}\n`)
    expect(markdown).toContain('| `recordedAt`')
  })
  it('lists fields with their type and whether they are required', () => {
    expect(markdown).toMatch(/\| `imposer` +\| string +\| yes +\| ISO 3166-1 alpha-2, or EU +\|/)
    expect(markdown).toMatch(/\| `targets.countries` +\| string\[\] +\| when mode = "listed" +\|/)
    expect(markdown).toMatch(/\| `until` +\| string \(date\) +\| no +\|/)
  })
})
