import { describe, expect, it } from 'vitest'
import { unstorableText } from './unstorable-text.js'

const paths = (value: unknown) => unstorableText(value).map((t) => t.path)

describe('unstorableText', () => {
  it('names strings and keys holding an unpaired surrogate or a NUL, and passes paired surrogates', () => {
    const input = { title: 'fine 𝕏', data: { list: ['ok', 'bad \ud800'], 'key \udfff': 'ok' }, tail: 'x\u0000' }
    expect(paths(input)).toEqual([['data', 'list', 1], ['data', 'key \udfff'], ['tail']])
    expect(unstorableText(input).map((t) => t.reason)).toEqual([
      expect.stringContaining('lone surrogate'),
      expect.stringContaining('lone surrogate'),
      expect.stringContaining('NUL'),
    ])
  })
  it('finds none in well-formed text', () => {
    expect(paths({ a: ['é', '中', '🙂'], b: 1, c: null })).toEqual([])
  })
  it('stops at the depth limit rather than walking a hostile nesting', () => {
    let deep: unknown = 'bad \ud800'
    for (let i = 0; i < 10_000; i++) deep = [deep]
    expect(paths(deep)).toEqual([])
  })
})
