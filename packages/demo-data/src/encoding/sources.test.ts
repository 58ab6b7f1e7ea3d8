import { describe, expect, it } from 'vitest'
import type { TimelineEntry } from '../timeline.js'
import { sourceOf } from './sources.js'

const entry = (title: string, url: string): TimelineEntry => ({
  id: 'x',
  type: 't',
  summary: 's',
  effective_date: null,
  announced_date: null,
  source: { title, url },
})

describe('sourceOf', () => {
  it('keeps the title and url, and reads the publisher and an ISO publication date from the closing parentheses', () => {
    expect(sourceOf(entry('China sets retaliatory tariffs (Mint, 2025-03-10)', 'https://www.livemint.com/a'))).toEqual({
      kind: 'news',
      url: 'https://www.livemint.com/a',
      title: 'China sets retaliatory tariffs (Mint, 2025-03-10)',
      publisher: 'Mint',
      publishedAt: '2025-03-10',
    })
  })
  it('keeps a publisher with commas and drops a written-out date', () => {
    expect(sourceOf(entry('A (People’s Daily Online, Xinhua, 2026-02-28)', 'http://en.people.cn/a')).publisher).toBe('People’s Daily Online, Xinhua')
    expect(sourceOf(entry('Provisional duties (CLECAT newsletter, 05 July 2024)', 'https://www.clecat.org/a'))).toMatchObject({
      publisher: 'CLECAT newsletter',
    })
  })
  it('names no publisher when the title has no closing parentheses, or only a year', () => {
    expect(sourceOf(entry('Trump halts all trade talks', 'https://regfollower.com/?p=1')).publisher).toBeUndefined()
    expect(sourceOf(entry('Surtax Order (2024)', 'https://example.org/a')).publisher).toBeUndefined()
  })
  it('classifies the kind of source by host', () => {
    expect(sourceOf(entry('Order (Canada Gazette, Part II)', 'https://gazette.gc.ca/a')).kind).toBe('official_gazette')
    expect(sourceOf(entry('Note (Lexology)', 'https://www.lexology.com/a')).kind).toBe('law_firm')
    expect(sourceOf(entry('State act (Global Trade Alert)', 'https://globaltradealert.org/a')).kind).toBe('database')
  })
})
