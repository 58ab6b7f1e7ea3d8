import { describe, expect, it } from 'vitest'
import { type CsvRecord, parseCsv } from './csv.js'

async function* chunks(...parts: string[]) {
  yield* parts
}
const parse = async (...parts: string[]) => {
  const out: CsvRecord[] = []
  for await (const record of parseCsv(chunks(...parts))) out.push(record)
  return out
}

describe('parseCsv', () => {
  it('splits fields on commas and records on LF or CRLF, numbering the line each record starts on', async () => {
    expect(await parse('a,b\r\nc,d\ne,f')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
    ])
  })
  it('reads quoted fields with commas, doubled quotes and line breaks, across chunk boundaries', async () => {
    expect(await parse('x,"a,""b""', '\nc"\r', '\nnext,"{""k"":1}"\n')).toEqual([
      { line: 1, fields: ['x', 'a,"b"\nc'] },
      { line: 3, fields: ['next', '{"k":1}'] },
    ])
  })
  it('keeps empty fields, an empty quoted field, and skips blank lines', async () => {
    expect(await parse('a,,""\n\n\r\n,b\n')).toEqual([
      { line: 1, fields: ['a', '', ''] },
      { line: 4, fields: ['', 'b'] },
    ])
  })
  it('marks a stray quote and a quote that never closes, and goes on with the next record', async () => {
    expect(await parse('a"b,c\n"x"y,z\nok,1\n"open,2\n')).toEqual([
      { line: 1, fields: ['a"b', 'c'], error: 'a quote inside an unquoted field; quote the field and double the quote' },
      { line: 2, fields: ['xy', 'z'], error: 'unexpected "y" after a closing quote' },
      { line: 3, fields: ['ok', '1'] },
      { line: 4, fields: ['open,2\n'], error: 'a quoted field never closes' },
    ])
  })
})
