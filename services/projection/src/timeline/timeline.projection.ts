import type { Database, TimelineTable } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import { type Insertable, sql, type Transaction } from 'kysely'
import { effectiveDay, worldDay } from '../measure-history/world-time.js'
import { insertJsonRows } from '../sql/json-rows.js'
import { insertTimelineRows } from './insert-rows.js'
import { namedByEvent, nextSubject, type Subject } from './subjects.js'
import { summarize } from './summary.js'

/** Every 2/4/6/8/10-digit prefix of the codes, so "under 8703" is one GIN containment test. */
const prefixesOf = (codes: readonly string[]) =>
  [...new Set(codes.flatMap((code) => [2, 4, 6, 8, 10].filter((n) => n <= code.length).map((n) => code.slice(0, n))))].sort()
const sorted = (items: readonly string[]) => [...new Set(items)].sort()

/**
 * The timeline: every event with its provenance, its subject's title, a summary line, the countries and HS codes
 * involved. Per batch: one read of the touched subjects, one upsert of them, one insert of the rows.
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  tables: ['timeline_subjects', 'timeline'],
  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
    if (events.length === 0) return
    const ids = [...new Set(events.map((e) => e.aggregateId))]
    // One primary-key probe per aggregate (LIMIT keeps the planner from turning it into a join): `IN (…)` is planned
    // as a whole-table scan while the table has no statistics yet (a catch-up from 0), so each batch cost more.
    const { rows: loaded } = await sql<Subject>`
      SELECT s.* FROM unnest(${ids}::text[]) AS k (id)
      CROSS JOIN LATERAL (SELECT * FROM timeline_subjects WHERE aggregate_id = k.id LIMIT 1) AS s`.execute(trx)
    const subjects = new Map<string, Subject>(loaded.map((s) => [s.aggregate_id, s]))
    const changed = new Set<string>()
    const rows: Insertable<TimelineTable>[] = events.map((event) => {
      const before = subjects.get(event.aggregateId)
      const subject = nextSubject(before, event)
      if (subject && subject !== before) {
        subjects.set(event.aggregateId, subject)
        changed.add(event.aggregateId)
      }
      const named = namedByEvent(event)
      const hsCodes = sorted([...(subject?.hs_codes ?? []), ...named.hsCodes])
      return {
        position: event.position,
        event_id: event.id,
        event_type: event.type,
        aggregate_type: event.aggregateType,
        aggregate_id: event.aggregateId,
        aggregate_version: event.aggregateVersion,
        occurred_at: event.occurredAt,
        occurred_on: worldDay(event.occurredAt),
        effective_on: effectiveDay(event),
        recorded_at: event.recordedAt,
        title: subject?.title ?? event.aggregateId,
        summary: summarize(event),
        product_text: subject?.product_text ?? null,
        countries: sorted([...(subject?.countries ?? []), ...named.countries]),
        hs_codes: hsCodes,
        hs_prefixes: prefixesOf(hsCodes),
        source_kind: event.source.kind,
        source_url: event.source.url,
        source_title: event.source.title,
        source_publisher: event.source.publisher ?? null,
        source_quote: event.source.quote ?? null,
      }
    })
    if (changed.size > 0) {
      // One row per subject, so the UPSERT never touches a key twice.
      await insertJsonRows(
        trx,
        'timeline_subjects',
        [...changed].map((id) => subjects.get(id) as Subject),
      )
        .onConflict((oc) =>
          oc.column('aggregate_id').doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            countries: eb.ref('excluded.countries'),
            hs_codes: eb.ref('excluded.hs_codes'),
            product_text: eb.ref('excluded.product_text'),
          })),
        )
        .execute()
    }
    await insertTimelineRows(trx, rows)
  },
}
