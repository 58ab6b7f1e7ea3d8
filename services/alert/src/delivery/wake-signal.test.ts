import { describe, expect, it } from 'vitest'
import { createWakeSignal } from './wake-signal.js'

const settledWithin = (promise: Promise<void>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))])

describe('wake signal', () => {
  it('keeps a wake given while nobody waits: the next wait returns at once (a round under way must not lose it)', async () => {
    const signal = createWakeSignal()
    signal.wake()
    expect(await settledWithin(signal.wait(60_000), 50)).toBe(true)
  })

  it('counts a wake once: the wait after it sleeps until the next wake', async () => {
    const signal = createWakeSignal()
    signal.wake()
    signal.wake()
    await signal.wait(60_000)
    const waiting = signal.wait(60_000)
    expect(await settledWithin(waiting, 50)).toBe(false)
    signal.wake()
    expect(await settledWithin(waiting, 50)).toBe(true)
  })

  it('returns after the poll interval when nothing wakes it', async () => {
    const signal = createWakeSignal()
    const started = performance.now()
    await signal.wait(30)
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
  })
})
