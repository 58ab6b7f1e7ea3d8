import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { type NdjsonLine, ndjsonLines } from './ndjson-lines.js'

async function collect(chunks: string[], max = 100): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = []
  for await (const line of ndjsonLines(Readable.from(chunks.map((c) => Buffer.from(c))), max)) out.push(line)
  return out
}

describe('ndjsonLines', () => {
  it('splits across chunk boundaries and numbers lines as the sender wrote them', async () => {
    expect(await collect(['{"a":', '1}\n\n{"b"', ':2}\r\n', '{"c":3}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ])
  })

  it('reports an over-long line without buffering it, and goes on', async () => {
    expect(await collect(['x'.repeat(60), 'y'.repeat(60), '\n{"ok":1}\n'], 100)).toEqual([
      { line: 1, tooLong: true },
      { line: 2, text: '{"ok":1}' },
    ])
  })

  it('keeps multi-byte characters split between chunks intact', async () => {
    const bytes = Buffer.from('{"t":"Québec"}\n')
    const chunks = [bytes.subarray(0, 10), bytes.subarray(10)]
    const out: NdjsonLine[] = []
    for await (const line of ndjsonLines(Readable.from(chunks), 100)) out.push(line)
    expect(out).toEqual([{ line: 1, text: '{"t":"Québec"}' }])
  })
})
