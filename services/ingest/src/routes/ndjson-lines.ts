import type { Readable } from 'node:stream'

export type NdjsonLine = { line: number; text: string } | { line: number; tooLong: true }

/**
 * Splits a byte stream into lines without ever holding more than one line (at most
 * `maxLineBytes`) in memory: a longer line is skipped to its end and reported, not buffered.
 * Blank lines are skipped but still counted, so numbers match the sender's file.
 */
export async function* ndjsonLines(stream: Readable, maxLineBytes: number): AsyncGenerator<NdjsonLine> {
  let parts: Buffer[] = []
  let size = 0
  let tooLong = false
  let line = 0
  const finish = function* (): Generator<NdjsonLine> {
    line++
    if (tooLong) yield { line, tooLong: true }
    else if (size > 0) {
      const text = Buffer.concat(parts, size).toString('utf8').trim()
      if (text) yield { line, text }
    }
    parts = []
    size = 0
    tooLong = false
  }
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      append(chunk.subarray(start, newline))
      yield* finish()
      start = newline + 1
    }
    append(chunk.subarray(start))
  }
  if (size > 0 || tooLong) yield* finish()

  function append(piece: Buffer) {
    if (tooLong || piece.length === 0) return
    if (size + piece.length > maxLineBytes) {
      tooLong = true
      parts = []
      size = 0
      return
    }
    parts.push(piece)
    size += piece.length
  }
}
