import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { repoRoot, testApiKey } from '@tradewatch/test-support'
import { type Infrastructure, startInfrastructure } from './infrastructure.js'
import { type Loader, type LoadInput, type LoadReport, startLoader } from './loader.js'
import { type RunningService, type ServiceName, serviceNames, startServiceOf } from './services.js'
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js'

/** A stored event as the alert expectations see it. */
export interface StoredEvent {
  position: number
  eventId: string
  aggregateType: string
  aggregateId: string
  type: string
  data: Record<string, unknown>
}

/**
 * A webhook subscription the suite creates through the api, with its own statement of which events it
 * should alert on: plain rules over the stored events, not the alert service's matching code.
 */
export interface WatchedSubscription {
  name: string
  filter: Record<string, unknown>
  expects(event: StoredEvent, imposerOf: (measureId: string) => string | undefined): boolean
  /** The id the api gave it. */
  id?: string
}

export const watchedSubscriptions = (): WatchedSubscription[] => [
  {
    name: 'US measures',
    filter: { imposers: ['US'] },
    expects: (e, imposerOf) => e.aggregateType === 'measure' && imposerOf(e.aggregateId) === 'US',
  },
  { name: 'Agreements signed', filter: { eventTypes: ['AgreementSigned'] }, expects: (e) => e.type === 'AgreementSigned' },
]

export interface Stack {
  readonly infra: Infrastructure
  readonly receiver: WebhookReceiver
  readonly services: Record<ServiceName, RunningService>
  readonly subscriptions: WatchedSubscription[]
  /** A steady loader posting `inputs` through ingest with the feeder's key; `tag` must be new per load. */
  load(inputs: readonly LoadInput[], tag: string, eventsPerSecond: number): Loader
  /** Every load's report so far: what the checks hold the store to. */
  readonly loads: LoadReport[]
  destroy(): Promise<void>
}

const secret = 'whsec_fault_suite_receiver_secret'

/** Each service's output, every process it ran as, in `.tmp/faults/<name>-<service>.log` for a failure's post-mortem. */
async function keepLogs(name: string, services: readonly RunningService[]) {
  const dir = path.join(repoRoot, '.tmp', 'faults')
  await mkdir(dir, { recursive: true })
  for (const s of services) await writeFile(path.join(dir, `${name}-${s.name}.log`), `${s.lines().join('\n')}\n`)
}

/**
 * Own NATS and Postgres, the four services as real processes, a webhook receiver and the subscriptions
 * to it. `logName` names the files the services' output is kept in when it is destroyed.
 */
export async function startStack(logName: string): Promise<Stack> {
  const infra = await startInfrastructure()
  const receiver = await startWebhookReceiver(secret)
  const feeder = testApiKey('feeder', ['ingest'])
  const subscriber = testApiKey('subscriber', ['subscribe'])
  const common = {
    DATABASE_URL: infra.databaseUrl,
    NATS_URL: infra.nats.url,
    TRADEWATCH_PREFIX: infra.prefix,
    API_KEYS: `${feeder.entry},${subscriber.entry}`,
    LOG_LEVEL: 'warn',
  }
  const services = {} as Record<ServiceName, RunningService>
  try {
    // Ingest first: it provisions the streams the others consume.
    services.ingest = await startServiceOf('ingest', common)
    // Settled, not all: the ones that came up are in `services` for the catch below to kill.
    const others = await Promise.allSettled(serviceNames.filter((n) => n !== 'ingest').map((n) => startServiceOf(n, common)))
    for (const s of others) if (s.status === 'fulfilled') services[s.value.name] = s.value
    const failed = others.find((s) => s.status === 'rejected')
    if (failed) throw failed.reason
    const subscriptions = watchedSubscriptions()
    for (const s of subscriptions) {
      const response = await fetch(`${services.api.url}/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': subscriber.key },
        body: JSON.stringify({ name: s.name, filter: s.filter, channel: { type: 'webhook', url: receiver.url, secret } }),
      })
      const body = (await response.json()) as { id: string }
      if (response.status !== 201) throw new Error(`creating subscription "${s.name}" answered ${response.status}: ${JSON.stringify(body)}`)
      s.id = body.id
    }
    const loads: LoadReport[] = []
    return {
      infra,
      receiver,
      services,
      subscriptions,
      loads,
      load(inputs, tag, eventsPerSecond) {
        const loader = startLoader({ ingestUrl: services.ingest.url, apiKey: feeder.key, inputs, tag, eventsPerSecond })
        loads.push(loader.report)
        return loader
      },
      async destroy() {
        await Promise.all(Object.values(services).map((s) => s.stop().catch(() => {})))
        await keepLogs(logName, Object.values(services))
        await receiver.close()
        await infra.destroy()
      },
    }
  } catch (err) {
    await Promise.all(Object.values(services).map((s) => s.current.kill()))
    await receiver.close()
    await infra.destroy()
    throw err
  }
}
