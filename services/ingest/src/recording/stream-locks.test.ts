import { describe, expect, it } from 'vitest'
import { StreamLocks } from './stream-locks.js'

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('StreamLocks', () => {
  it('lets one holder at a time per stream, in arrival order', async () => {
    const locks = new StreamLocks()
    const order: string[] = []
    const first = await locks.acquire(['measure-a'])
    const second = locks.acquire(['measure-a']).then((release) => {
      order.push('second')
      release()
    })
    await tick()
    order.push('first done')
    first()
    await second
    expect(order).toEqual(['first done', 'second'])
    expect(locks.size).toBe(0)
  })

  it('does not hold back other streams', async () => {
    const locks = new StreamLocks()
    const a = await locks.acquire(['measure-a'])
    const b = await locks.acquire(['measure-b'])
    a()
    b()
    expect(locks.size).toBe(0)
  })

  it('never deadlocks two batches that share streams in opposite order', async () => {
    const locks = new StreamLocks()
    const run = async (ids: string[]) => {
      const release = await locks.acquire(ids)
      await tick()
      release()
    }
    await Promise.all([run(['measure-a', 'measure-b']), run(['measure-b', 'measure-a']), run(['measure-b'])])
    expect(locks.size).toBe(0)
  })
})
