import { streams, subjects } from '@tradewatch/domain'
import { DiscardPolicy, type JetStreamManager, type NatsConnection, nanos, RetentionPolicy, StorageType, type StreamConfig } from 'nats'

const day = 24 * 60 * 60 * 1000
const defaultDuplicateWindowMs = 2 * 60 * 1000

export interface EnsureStreamsOptions {
  /** The events stream's duplicate window (default 2 min); tests shorten it to outlive it. */
  duplicateWindowMs?: number
}

/** The events stream: a copy of the event store, so no limits that could drop an event. */
export function eventsStreamConfig(prefix: string, duplicateWindowMs = defaultDuplicateWindowMs): Partial<StreamConfig> & { name: string } {
  return {
    name: streams.events(prefix),
    subjects: [subjects.allEvents(prefix)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: 0,
    max_bytes: -1,
    max_msgs: -1,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(duplicateWindowMs),
    num_replicas: 1,
  }
}

// Alerts and dead letters are recorded in Postgres; the streams are delivery, so they age out.
function alertsStreamConfig(prefix: string): Partial<StreamConfig> & { name: string } {
  return {
    name: streams.alerts(prefix),
    subjects: [subjects.allAlerts(prefix)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(7 * day),
  }
}

function deadLettersStreamConfig(prefix: string): Partial<StreamConfig> & { name: string } {
  return {
    name: streams.deadLetters(prefix),
    subjects: [subjects.allDeadLetters(prefix)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(30 * day),
  }
}

/**
 * Creates the events, alerts and dead-letter streams, or updates the settings that may change
 * on a stream that exists with a different config. Idempotent, safe to race.
 */
export async function ensureStreams(nc: NatsConnection, prefix: string, options: EnsureStreamsOptions = {}): Promise<void> {
  const jsm = await nc.jetstreamManager()
  for (const config of [eventsStreamConfig(prefix, options.duplicateWindowMs), alertsStreamConfig(prefix), deadLettersStreamConfig(prefix)])
    await ensureStream(jsm, config)
}

// Storage and retention cannot change on a live stream; everything else here can.
const editable = ['subjects', 'max_age', 'max_bytes', 'max_msgs', 'discard', 'duplicate_window'] as const

export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const existing = await jsm.streams.info(config.name).catch((err) => {
    if (isStreamNotFound(err)) return undefined
    throw err
  })
  if (!existing) {
    try {
      await jsm.streams.add(config)
      return
    } catch (err) {
      // Another process created it first: fall through to compare and update.
      if ((err as { api_error?: { err_code?: number } }).api_error?.err_code !== 10058) throw err
    }
  }
  const current = existing?.config ?? (await jsm.streams.info(config.name)).config
  const changed = editable.filter((k) => config[k] !== undefined && JSON.stringify(config[k]) !== JSON.stringify(current[k]))
  if (changed.length > 0) await jsm.streams.update(config.name, { ...current, ...Object.fromEntries(changed.map((k) => [k, config[k]])) })
}

export function isStreamNotFound(err: unknown): boolean {
  const e = err as { api_error?: { err_code?: number }; message?: string }
  return e.api_error?.err_code === 10059 || e.message === 'stream not found'
}
