import { describe, expect, it } from 'vitest'
import { csvRecords } from './csv-records.js'
import type { ImportRecord } from './import-record.js'
import { jsonRecords } from './json-records.js'
import { ndjsonRecords } from './ndjson-records.js'

async function* chunks(...parts: string[]) {
  yield* parts
}
const all = async (records: AsyncIterable<ImportRecord>) => {
  const out: ImportRecord[] = []
  for await (const record of records) out.push(record)
  return out
}
const header = 'type,measureId,occurredAt,effectiveAt,sourceUrl,sourceTitle,sourceKind,expectedVersion,data'

describe('csvRecords', () => {
  it('turns each row into an event input, leaving empty cells out and parsing data and expectedVersion', async () => {
    const csv = `${header}\r\nMeasureEnteredIntoForce,ca-cn-ev-surtax,2024-10-01,,https://gazette.gc.ca/a,"Order, SOR/2024-187",official_gazette,1,"{}"\r\n`
    const [record] = await all(csvRecords(chunks(csv)))
    expect(record?.at).toBe(2)
    expect(JSON.parse((record as { json: string }).json)).toEqual({
      type: 'MeasureEnteredIntoForce',
      measureId: 'ca-cn-ev-surtax',
      occurredAt: '2024-10-01',
      source: { kind: 'official_gazette', url: 'https://gazette.gc.ca/a', title: 'Order, SOR/2024-187' },
      data: {},
      expectedVersion: 1,
    })
  })
  it('names the CSV line of a record that spans lines, and rejects bad data, a bad version or a wrong field count locally', async () => {
    const csv = [
      header,
      'MeasureRevoked,m,2026-02-24,2026-03-01,https://x.org/a,T,news,,"{""reason"":',
      '""deal""}"',
      'MeasureRevoked,m,2026-02-24,,https://x.org/a,T,news,,{not json}',
      'MeasureRevoked,m,2026-02-24,,https://x.org/a,T,news,two,{}',
      'MeasureRevoked,m',
    ].join('\n')
    const records = await all(csvRecords(chunks(csv)))
    expect(records.map((r) => r.at)).toEqual([2, 4, 5, 6])
    expect(JSON.parse((records[0] as { json: string }).json).data).toEqual({ reason: 'deal' })
    expect(records.slice(1).map((r) => ('problem' in r ? r.problem.errors[0] : undefined))).toEqual([
      { path: '/data', message: expect.stringMatching(/^not JSON/) },
      { path: '/expectedVersion', message: 'not an integer: "two"' },
      { path: '', message: 'expected 9 fields as in the header, found 2' },
    ])
  })
  it('refuses a header with unknown or missing columns as a usage error', async () => {
    await expect(all(csvRecords(chunks('type,colour\n')))).rejects.toThrow('unknown columns: colour')
    await expect(all(csvRecords(chunks('type,measureId,data\n')))).rejects.toThrow('lacks the columns: occurredAt, sourceUrl, sourceTitle')
  })
})

describe('ndjsonRecords', () => {
  it('passes lines through as they are, numbered as in the file, skipping blank lines', async () => {
    expect(await all(ndjsonRecords(chunks('{"a":1}\r\n\n  \n{"b"', ':2}\nnot json\n{"c":3}')))).toEqual([
      { at: 1, json: '{"a":1}' },
      { at: 4, json: '{"b":2}' },
      { at: 5, json: 'not json' },
      { at: 6, json: '{"c":3}' },
    ])
  })
})

describe('jsonRecords', () => {
  it('puts item i of an array on line i + 1, and takes one object as one item', () => {
    expect([...jsonRecords('[{"a":1},{"b":2}]')]).toEqual([
      { at: 1, json: '{"a":1}' },
      { at: 2, json: '{"b":2}' },
    ])
    expect([...jsonRecords('{"a":1}')]).toEqual([{ at: 1, json: '{"a":1}' }])
  })
  it('refuses a file that is not JSON as a usage error', () => {
    expect(() => [...jsonRecords('[{')]).toThrow('the file is not valid JSON')
  })
})
