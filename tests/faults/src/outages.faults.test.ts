import { workload } from '@tradewatch/test-support'
import { expect, it } from 'vitest'
import { checkEverything, clean } from './checks/all.js'
import { faultProfile } from './harness/profile.js'
import { sleep, useStack } from './harness/use-stack.js'

// The four services on the suite's own NATS and Postgres under a steady load, while one dependency
// at a time goes away and comes back; the checks run after each, over everything loaded so far.
const profile = faultProfile()
const stack = useStack('outages')

/** Loads steadily for a few seconds, takes a dependency away for `downMs` and brings it back, loads a few seconds more, then checks. */
async function outageUnderLoad(tag: string, outage: { away(): Promise<void>; back(): Promise<void>; downMs: number }) {
  const loader = stack().load(workload(tag, profile.loadRate * 120), tag, profile.loadRate)
  await sleep(5_000)
  const started = performance.now()
  await outage.away()
  await sleep(outage.downMs)
  await outage.back()
  const downMs = Math.round(performance.now() - started)
  await sleep(5_000)
  await loader.stop()
  const result = await checkEverything(stack())
  console.info(`faults/${tag}: ${JSON.stringify({ ...result, findings: undefined, downMs })}`)
  return result
}

it('given a steady load, when NATS is restarted, then every accepted event is stored and streamed once in order, every read model equals a rebuild and every expected alert reached the receiver once', async () => {
  const { nats } = stack().infra
  const result = await outageUnderLoad('nats', { away: () => nats.stop('SIGTERM'), back: () => nats.start(), downMs: 2_000 })
  expect(result.findings).toEqual(clean)
  expect(result.events).toBeGreaterThan(1_000)
}, 600_000)

it('given a steady load, when Postgres is restarted, then the same holds', async () => {
  const { postgres } = stack().infra
  const result = await outageUnderLoad('postgres', { away: () => postgres.stop('fast'), back: () => postgres.start(), downMs: 2_000 })
  expect(result.findings).toEqual(clean)
}, 600_000)

it(`given a steady load, when the webhook receiver is down for ${profile.receiverDownMs / 1000} s, then the same holds and the alerts of the outage arrive after it`, async () => {
  const { receiver } = stack()
  const heldBefore = receiver.held.size
  const result = await outageUnderLoad('receiver', { away: () => receiver.down(), back: () => receiver.up(), downMs: profile.receiverDownMs })
  expect(result.findings).toEqual(clean)
  expect(receiver.held.size).toBeGreaterThan(heldBefore)
}, 600_000)
