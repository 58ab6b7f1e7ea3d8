import type { Database } from '@tradewatch/db'
import type { EventEnvelope } from '@tradewatch/domain'
import type { Projection } from '@tradewatch/projector'
import { sql, type Transaction } from 'kysely'
import { insertJsonRows } from '../sql/json-rows.js'
import { type Knowledge, toLineRow } from './line-row.js'
import { byNaturalKey, type KeyedLine, type LineSetMemo, lineSet, naturalKey, type StoredMeasureEvent } from './line-set.js'

interface Held extends KeyedLine {
  knowledge: Knowledge
  /** Already in the table (only its close is written), or new in this batch (inserted whole). */
  stored: boolean
}

/**
 * Bitemporal tariff lines. For each measure event, in order, the measure's whole valid-time line set is recomputed
 * from its events so far and compared with the current knowledge: lines that changed are closed at the event's
 * recordedAt, new ones opened from it (lineSet's memo keeps the days before the event's own). Rows are never
 * rewritten, and a row opened and closed at one recordedAt is not kept (no knowledge time sees it); per batch: two
 * reads, then one insert of the new input events, one update (and delete) of the closed rows, one insert of the new ones.
 */
export const tariffLinesProjection: Projection = {
  name: 'tariff-lines',
  tables: ['tariff_line_inputs', 'tariff_lines'],
  // Each batch reads the touched measures' current rows through it.
  applyIndexes: ['tariff_lines_current_idx'],
  async apply(trx: Transaction<Database>, events: readonly EventEnvelope[]) {
    const byMeasure = new Map<string, EventEnvelope[]>()
    for (const event of events) {
      if (event.aggregateType !== 'measure') continue
      const list = byMeasure.get(event.aggregateId)
      if (list) list.push(event)
      else byMeasure.set(event.aggregateId, [event])
    }
    if (byMeasure.size === 0) return
    const ids = [...byMeasure.keys()]
    const [inputs, current] = await Promise.all([
      trx.selectFrom('tariff_line_inputs').select(['measure_id', 'event']).where('measure_id', 'in', ids).orderBy('measure_id').orderBy('version').execute(),
      trx
        .selectFrom('tariff_lines')
        .select(['line_id', 'measure_id', 'origin', 'hs_prefix', 'line_kind', sql<string>`to_char(valid_from, 'YYYY-MM-DD')`.as('valid_from')])
        .where('measure_id', 'in', ids)
        .where('recorded_to', 'is', null)
        .execute(),
    ])
    const storedEvents = new Map<string, StoredMeasureEvent[]>()
    for (const row of inputs) {
      const list = storedEvents.get(row.measure_id)
      if (list) list.push(row.event as StoredMeasureEvent)
      else storedEvents.set(row.measure_id, [row.event as StoredMeasureEvent])
    }
    const lineIds = new Map(
      current.map((row) => [
        `${row.measure_id}|${naturalKey({ ...row, hsPrefix: row.hs_prefix, lineKind: row.line_kind, validFrom: row.valid_from })}`,
        row.line_id,
      ]),
    )

    const inputRows = []
    const closes: { lineId: string; recordedTo: string; closedPosition: number }[] = []
    const inserts = []
    for (const [measureId, measureEvents] of byMeasure) {
      const history = [...(storedEvents.get(measureId) ?? [])]
      const held = new Map<string, Held>()
      const memo: LineSetMemo = new Map()
      // The current knowledge rows are, by construction, the line set of the stored events.
      for (const { line, content, key } of lineSet(history, memo)) {
        const lineId = lineIds.get(`${measureId}|${key}`)
        if (lineId === undefined) throw new Error(`tariff-lines: no current row for ${measureId} ${key}`)
        held.set(key, {
          line,
          content,
          key,
          stored: true,
          knowledge: { lineId, recordedFrom: '', openedPosition: 0, recordedTo: null, closedPosition: null },
        })
      }
      const closed: Held[] = []
      for (const event of measureEvents) {
        const stored = {
          version: event.aggregateVersion,
          position: event.position,
          type: event.type,
          data: event.data,
          occurredAt: event.occurredAt,
          effectiveAt: event.effectiveAt,
        } as StoredMeasureEvent
        history.push(stored)
        inputRows.push({ measure_id: measureId, version: stored.version, position: stored.position, event: JSON.stringify(stored) })
        const next = new Map(lineSet(history, memo).map((keyed) => [keyed.key, keyed]))
        for (const [key, was] of held) {
          const now = next.get(key)
          // The same content over the same days: the knowledge row stands.
          if (now && now.content === was.content && now.line.validFrom === was.line.validFrom && now.line.validTo === was.line.validTo) {
            next.delete(key)
            continue
          }
          closed.push({ ...was, knowledge: { ...was.knowledge, recordedTo: event.recordedAt, closedPosition: event.position } })
          held.delete(key)
        }
        // Numbered in natural-key order: the ids a rebuild gives them too.
        ;[...next.values()].sort(byNaturalKey).forEach(({ line, content, key }, ordinal) => {
          const lineId = `${measureId}@${event.position}#${ordinal}`
          held.set(key, {
            line,
            content,
            key,
            stored: false,
            knowledge: { lineId, recordedFrom: event.recordedAt, openedPosition: event.position, recordedTo: null, closedPosition: null },
          })
        })
      }
      for (const h of [...closed, ...held.values()]) {
        if (h.stored && h.knowledge.recordedTo !== null)
          closes.push({ lineId: h.knowledge.lineId, recordedTo: h.knowledge.recordedTo, closedPosition: h.knowledge.closedPosition ?? 0 })
        // Opened and closed at one instant (facts recorded together): known at no time, so not kept.
        if (!h.stored && h.knowledge.recordedTo !== h.knowledge.recordedFrom) inserts.push(toLineRow(measureId, h.line, h.knowledge))
      }
    }

    // Appended, never rewritten: a long-lived measure costs its new events, not its whole history, per batch.
    await insertJsonRows(trx, 'tariff_line_inputs', inputRows, ['event']).execute()
    if (closes.length > 0) {
      const values = sql.join(closes.map((c) => sql`(${c.lineId}, ${c.recordedTo}::timestamptz, ${c.closedPosition}::bigint)`))
      await sql`
        UPDATE tariff_lines AS t SET recorded_to = c.recorded_to, closed_position = c.closed_position
        FROM (VALUES ${values}) AS c (line_id, recorded_to, closed_position)
        WHERE t.line_id = c.line_id`.execute(trx)
      // A row an earlier batch opened at the instant it is now closed goes too: the table never depends on batching.
      await trx
        .deleteFrom('tariff_lines')
        .where(
          'line_id',
          'in',
          closes.map((c) => c.lineId),
        )
        .whereRef('recorded_to', '=', 'recorded_from')
        .execute()
    }
    if (inserts.length > 0) await insertJsonRows(trx, 'tariff_lines', inserts, ['rate', 'exemptions', 'quotas']).execute()
  },
}
