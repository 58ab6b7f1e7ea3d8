import { createHash } from 'node:crypto'

/** Maps a lock name to a Postgres advisory lock key (signed int8, as a string for pg). */
export function advisoryKey(lock: string): string {
  return createHash('sha256').update(lock).digest().readBigInt64BE(0).toString()
}

/** Serialises appends: every append transaction takes it first (see README, "Positions"). */
export const appendLockKey = advisoryKey('tradewatch:events:append')

/** The relay's leadership lock: one active relay per database and prefix. */
export const relayLockName = (prefix: string) => `tradewatch:relay:${prefix}`

/** Channel the append transaction notifies with the new head, so the relay wakes at once. */
export const appendedChannel = 'tradewatch_events_appended'
