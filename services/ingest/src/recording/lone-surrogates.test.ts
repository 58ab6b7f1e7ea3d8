import { describe, expect, it } from 'vitest'
import { loneSurrogatePaths } from './lone-surrogates.js'

describe('loneSurrogatePaths', () => {
  it('names strings and keys holding an unpaired surrogate, and passes paired ones', () => {
    const input = { title: 'fine 𝕏', data: { list: ['ok', 'bad \ud800'], 'key \udfff': 'ok' }, tail: 'x\udc00' }
    expect(loneSurrogatePaths(input)).toEqual([['data', 'list', 1], ['data', 'key \udfff'], ['tail']])
  })
  it('finds none in well-formed text', () => {
    expect(loneSurrogatePaths({ a: ['é', '中', '🙂'], b: 1, c: null })).toEqual([])
  })
  it('stops at the depth limit rather than walking a hostile nesting', () => {
    let deep: unknown = 'bad \ud800'
    for (let i = 0; i < 10_000; i++) deep = [deep]
    expect(loneSurrogatePaths(deep)).toEqual([])
  })
})
