import { workload } from '@tradewatch/test-support'
import { expect, it } from 'vitest'
import { checkEverything, clean } from './checks/all.js'
import { errorLines, memoryGrowth } from './checks/soak.js'
import { startMonitor } from './harness/monitor.js'
import { faultProfile } from './harness/profile.js'
import { serviceNames } from './harness/services.js'
import { useStack } from './harness/use-stack.js'

// No faults: the four services under a steady load for a long while, watched from outside.
const profile = faultProfile()
const stack = useStack('soak')

it(`given ${profile.soakRate} events/s for ${profile.soakMs / 1000} s, then each service's retained heap is flat within 10% after warm-up, the projections' lag stays bounded and no service logs an error`, async () => {
  const s = stack()
  const services = serviceNames.map((name) => s.services[name])
  const monitor = startMonitor(s.infra.db, services, profile.soakMs / 120)
  const loader = s.load(workload('soak', Math.ceil(profile.soakRate * (profile.soakMs / 1000) * 1.1)), 'soak', profile.soakRate)
  await new Promise((resolve) => setTimeout(resolve, profile.soakMs))
  await loader.stop()
  const samples = await monitor.stop()

  // The soak's own figures first: they matter most when the system cannot settle afterwards.
  const memory = memoryGrowth(samples, profile.soakWarmupMs)
  const maxLag = Math.max(...samples.map((x) => x.projectionLag))
  const endLag = samples.at(-1)?.projectionLag ?? Number.POSITIVE_INFINITY
  const errors = services.flatMap((service) => errorLines(service.lines()).map((line) => `${service.name}: ${line}`))
  console.info(`faults/soak: ${JSON.stringify({ maxLag, endLag, memory, errorLines: errors.length })}`)
  // Every tenth sample, so a post-mortem can tell a heap still sizing up from a leak.
  for (const measure of ['retainedMb', 'rssMb', 'majorCollections'] as const) {
    const series = Object.fromEntries(serviceNames.map((name) => [name, samples.filter((_, i) => i % 10 === 0).map((x) => Math.round(x[measure][name] ?? -1))]))
    console.info(`faults/soak ${measure} every ${profile.soakMs / 12_000} s: ${JSON.stringify(series)}`)
  }
  const result = await checkEverything(s, { readModels: false })
  const rate = Math.round(result.events / (profile.soakMs / 1000))
  console.info(`faults/soak: ${JSON.stringify({ ...result, findings: undefined, eventsPerSecond: rate })}`)

  expect(result.findings).toEqual(clean)
  expect(errors).toEqual([])
  // Bounded: caught up to within ten seconds of load at the end, and a stall while the machine is busy
  // never past thirty (one at load 10 reached 16 s, then caught up). Asserted before memory, because a
  // projection that falls behind holds its backlog's batches, and that, not a leak, would be the cause.
  expect(endLag).toBeLessThanOrEqual(profile.soakRate * 10)
  expect(maxLag).toBeLessThanOrEqual(profile.soakRate * 30)
  expect(rate).toBeGreaterThanOrEqual(profile.soakRate * 0.9)
  for (const name of serviceNames) expect(memory[name]?.retained.growth, `${name} retained heap growth after warm-up`).toBeLessThanOrEqual(0.1)
}, 1_800_000)
