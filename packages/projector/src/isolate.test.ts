import type { ConsumedMessage } from '@tradewatch/event-store'
import { describe, expect, it } from 'vitest'
import { type CommitFn, isolatePoison } from './isolate.js'
import { isTransient } from './transient.js'

const messages = (from: number, to: number): ConsumedMessage[] => Array.from({ length: to - from + 1 }, (_, i) => ({ position: from + i }))

/** A fake commit that fails for any chunk holding a poison position, recording what committed. */
function fakeStore(poison: Set<number>, failFirst?: () => Error | undefined) {
  const applied: number[] = []
  const dead: { position: number; reason: string; attempts: number }[] = []
  let transactions = 0
  let checkpoint = 0
  const commit: CommitFn = async (from, chunk, asPoison) => {
    const error = failFirst?.()
    if (error) throw error
    expect(from).toBe(checkpoint)
    const bad = chunk.find((m) => poison.has(m.position))
    if (bad && !asPoison) throw new TypeError(`bad event ${bad.position}`)
    transactions++
    for (const m of chunk) {
      if (asPoison) dead.push({ position: m.position, ...asPoison })
      else applied.push(m.position)
    }
    checkpoint = chunk[chunk.length - 1]?.position ?? from
    return checkpoint
  }
  return { commit, applied, dead, transactions: () => transactions }
}

describe('isolatePoison', () => {
  it('dead-letters each event that fails alone and commits the rest in few transactions', async () => {
    const store = fakeStore(new Set([137, 402]))
    expect(await isolatePoison(store.commit, 0, messages(1, 500), 3)).toBe(500)
    expect(store.applied).toEqual(
      messages(1, 500)
        .map((m) => m.position)
        .filter((p) => p !== 137 && p !== 402),
    )
    expect(store.dead).toEqual([
      { position: 137, reason: 'bad event 137', attempts: 12 },
      { position: 402, reason: 'bad event 402', attempts: 12 },
    ])
    // Bisection: about 2·log2(500) transactions per poison event, not 500.
    expect(store.transactions()).toBeLessThan(40)
  })

  it('propagates a transient error instead of dead-lettering', async () => {
    let calls = 0
    const store = fakeStore(new Set([3]), () => (++calls === 2 ? Object.assign(new Error('terminating connection'), { code: '57P01' }) : undefined))
    await expect(isolatePoison(store.commit, 0, messages(1, 8), 3)).rejects.toMatchObject({ code: '57P01' })
    expect(store.dead).toEqual([])
  })
})

describe('isTransient', () => {
  it.each([
    ['serialization failure', Object.assign(new Error('x'), { code: '40001' })],
    ['deadlock', Object.assign(new Error('x'), { code: '40P01' })],
    ['admin shutdown', Object.assign(new Error('x'), { code: '57P01' })],
    ['cannot connect now', Object.assign(new Error('x'), { code: '57P03' })],
    ['connection failure', Object.assign(new Error('x'), { code: '08006' })],
    ['socket reset', Object.assign(new Error('x'), { code: 'ECONNRESET' })],
    ['pg socket closed', new Error('Connection terminated unexpectedly')],
    ['wrapped', new Error('apply failed', { cause: Object.assign(new Error('x'), { code: '40001' }) })],
  ])('%s is transient', (_, err) => expect(isTransient(err)).toBe(true))

  it.each([
    ['TypeError', new TypeError("Cannot read properties of undefined (reading 'rate')")],
    ['domain error', Object.assign(new Error('illegal transition'), { code: 'ILLEGAL_TRANSITION' })],
    ['check violation', Object.assign(new Error('x'), { code: '23514' })],
  ])('%s is permanent', (_, err) => expect(isTransient(err)).toBe(false))
})
