import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it, vi } from 'vitest'
import { hsChapters, hsCodeSchema, hsEntry, hsSections, isKnownHsChapter } from './hs.js'

describe('HS 2022 reference data', () => {
  it('loads the 97 chapters, without the reserved chapter 77', () => {
    const chapters = hsChapters()
    expect(chapters).toHaveLength(97)
    expect(chapters[0]).toEqual({ code: '01', description: 'Animals; live', level: 2, parent: null, section: 'I' })
    expect(chapters.map((c) => c.code)).not.toContain('77')
  })
  it('describes headings and subheadings with their parent and section', () => {
    expect(hsEntry('8703')).toMatchObject({ level: 4, parent: '87', section: 'XVII' })
    expect(hsEntry('870380')).toMatchObject({ level: 6, parent: '8703', section: 'XVII' })
    expect(hsEntry('8703')?.description).toMatch(/^Motor cars/)
  })
  it('parses quoted descriptions containing commas', () => {
    expect(hsEntry('0101')?.description).toBe('Horses, asses, mules and hinnies; live')
  })
  it('strips the byte-order mark from the sections file', () => {
    expect(hsSections()).toHaveLength(21)
    expect(hsSections()[0]).toEqual({ section: 'I', name: 'live animals; animal products' })
  })
  it('holds the 6,940 entries in a few MB of heap: fields are flat strings, not ropes of characters', async () => {
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    vi.resetModules()
    gc()
    const before = process.memoryUsage().heapUsed
    const fresh = await import('./hs.js')
    expect(fresh.hsChapters()).toHaveLength(97)
    gc()
    const mb = (process.memoryUsage().heapUsed - before) / 2 ** 20
    expect(mb).toBeGreaterThan(0)
    expect(mb).toBeLessThan(6)
  })
  it('does not treat the grand total as a code', () => {
    expect(hsEntry('TOTAL')).toBeUndefined()
  })
  it('validates codes against HS 2022', () => {
    expect(hsCodeSchema.safeParse('1205').success).toBe(true)
    expect(hsCodeSchema.safeParse('8799').error?.issues[0]?.message).toBe('is not a code of HS 2022')
    expect(hsCodeSchema.safeParse('87033').error?.issues[0]?.message).toMatch(/2, 4 or 6 digits/)
  })
  it('knows chapters for older editions and national lines', () => {
    expect(isKnownHsChapter('87038010')).toBe(true)
    expect(isKnownHsChapter('7701')).toBe(false)
  })
})
