import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { cursorParam, encodeCursor, limitParam, toPage } from './pagination.js'

describe('cursors', () => {
  const cursor = cursorParam(z.tuple([z.iso.date(), z.number().int()]))

  it('decode to the key they were made from', () => {
    expect(cursor.parse(encodeCursor(['2026-02-24', 153]))).toEqual(['2026-02-24', 153])
  })

  it.each([['not base64 json'], [encodeCursor(['2026-02-24'])], [encodeCursor(['yesterday', 1])], [Buffer.from('{"x":1}').toString('base64url')]])(
    'refuse %s as a cursor this list did not give out',
    (value) => {
      const parsed = cursor.safeParse(value)
      expect(parsed.success).toBe(false)
      expect(parsed.error?.issues[0]?.message).toBe('is not a cursor this list gave out')
    },
  )
})

describe('pages', () => {
  it('given limit + 1 rows, then the page has limit items and a cursor at its last', () => {
    const page = toPage(
      ['a', 'b', 'c'],
      2,
      (r) => [r],
      (r) => r.toUpperCase(),
    )
    expect(page).toEqual({ items: ['A', 'B'], nextCursor: encodeCursor(['b']) })
  })

  it('given limit rows or fewer, then it is the last page', () => {
    expect(
      toPage(
        ['a', 'b'],
        2,
        (r) => [r],
        (r) => r,
      ),
    ).toEqual({ items: ['a', 'b'], nextCursor: null })
  })

  it('bounds limit', () => {
    expect(limitParam().parse(undefined)).toBe(50)
    expect(limitParam().safeParse('201').success).toBe(false)
    expect(limitParam().safeParse('0').success).toBe(false)
    expect(limitParam(500).parse('500')).toBe(500)
  })
})
