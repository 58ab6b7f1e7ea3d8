import type { Database } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import { sql, type Transaction } from 'kysely'
import { RebuildError, rebuildErrorCodes } from './errors.js'
import type { Projection } from './projection.js'
import type { ShadowIndex } from './shadow-tables.js'

/** An event as read from the store: validated, or `{ position }` alone when it fails validation. */
export type StoredEvent = EventEnvelope | { position: number }

/** One projection's shadow tables and how far they are: events up to `position` are applied. */
export class ShadowLoad {
  position = 0
  applied = 0
  /** Where the current pass brings it: never past the live checkpoint read before the pass. */
  target = 0
  /** Positions after `position` the live projection dead-lettered: skipped as it skipped them. */
  skipped: ReadonlySet<number> = new Set()

  constructor(
    readonly projection: Projection,
    readonly schema: string,
    /** Search indexes built once the shadow is loaded. */
    readonly deferred: readonly ShadowIndex[],
  ) {}

  get name(): string {
    return this.projection.name
  }

  /** The events of a batch this shadow takes: after its position, up to its target, valid and not dead-lettered. */
  take(batch: readonly StoredEvent[]): EventEnvelope[] {
    return batch.filter((e): e is EventEnvelope => e.position > this.position && e.position <= this.target && 'type' in e && !this.skipped.has(e.position))
  }

  /** Records that the events up to `last` (or its target, if nearer) were taken. */
  advance(last: number, applied: number): void {
    this.position = Math.max(this.position, Math.min(last, this.target))
    this.applied += applied
  }

  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]): Promise<void> {
    if (events.length === 0) return
    // The projection's unqualified table names resolve to the shadow tables; the rest (events…) to public.
    await sql`SELECT set_config('search_path', ${`${this.schema}, public`}, true)`.execute(trx)
    try {
      await this.projection.apply(trx, events)
    } catch (err) {
      const range = `${events[0]?.position}–${events[events.length - 1]?.position}`
      throw new RebuildError(rebuildErrorCodes.applyFailed, `${this.name}: applying events ${range} to the shadow tables failed: ${(err as Error).message}`, {
        cause: err,
      })
    }
    await sql`SELECT set_config('search_path', 'public', true)`.execute(trx)
  }
}
