import { workload } from '@tradewatch/test-support'
import { expect, it } from 'vitest'
import { checkEverything, clean } from './checks/all.js'
import { faultProfile } from './harness/profile.js'
import { type ServiceName, serviceNames } from './harness/services.js'
import { sleep, useStack } from './harness/use-stack.js'

// All four services as real processes on the suite's own NATS and Postgres, under a steady load;
// each is SIGKILLed at random moments and restarted, in a shuffled order.
const profile = faultProfile()
const stack = useStack('kills')

it(`given a steady load, when each service is SIGKILLed ${profile.killsPerService} times at random moments and restarted, then every accepted event is stored and streamed once in order, every read model equals a rebuild and every expected alert reached the receiver once`, async () => {
  const s = stack()
  const schedule = serviceNames.flatMap((name) => Array.from({ length: profile.killsPerService }, () => name))
  for (let i = schedule.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[schedule[i], schedule[j]] = [schedule[j] as ServiceName, schedule[i] as ServiceName]
  }
  // Given: a steady load (20 s of inputs per kill: more than it will get through, as a restart takes 3 to 16 s here).
  const inputs = workload('kills', profile.loadRate * schedule.length * 20)
  const loader = s.load(inputs, 'kills', profile.loadRate)

  // When: each service killed at a random moment, one after the other, and restarted.
  const kills: { service: ServiceName; afterMs: number; restartMs: number }[] = []
  for (const service of schedule) {
    const afterMs = Math.round(500 + Math.random() * 2_500)
    await sleep(afterMs)
    kills.push({ service, afterMs, restartMs: Math.round(await s.services[service].killAndRestart()) })
  }
  await sleep(2_000)
  await loader.stop()

  // Then
  const result = await checkEverything(s)
  const restarts = Object.fromEntries(
    serviceNames.map((name) => {
      const ms = kills.filter((k) => k.service === name).map((k) => k.restartMs)
      return [name, { kills: ms.length, restartMs: `${Math.min(...ms)}..${Math.max(...ms)}` }]
    }),
  )
  console.info(`faults/kills: ${JSON.stringify({ ...result, findings: undefined, restarts })}`)
  expect(result.findings).toEqual(clean)
  expect(kills.length).toBe(serviceNames.length * profile.killsPerService)
  expect(result.events).toBeGreaterThan(1_000)
  expect(result.events, 'the load ran dry before the last kill').toBeLessThan(inputs.length)
  expect(result.alerts).toBeGreaterThan(50)
}, 1_800_000)
