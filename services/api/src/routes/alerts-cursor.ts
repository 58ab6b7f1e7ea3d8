import type { AlertsTable, Database } from '@tradewatch/db'
import type { Selectable, SelectQueryBuilder } from 'kysely'
import { z } from 'zod'

/**
 * Where an alert stands in the order alerts are read: (event position, alert id), written
 * `1234.<alert id>`. One alert service instance matches at a time, in position order, and
 * commits a batch's alerts with its checkpoint, so an alert never commits behind one already
 * visible after it: resuming "after this cursor" misses nothing. The SSE `id:` and the
 * history's `nextCursor` are both this.
 */
export interface AlertCursor {
  position: string
  alertId: string
}

export const alertCursorSchema = z
  .string()
  .regex(
    /^\d{1,19}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'must be an alert cursor: <position>.<alert id>, as sent in id: or nextCursor',
  )
  .transform((value): AlertCursor => {
    const [position, alertId] = value.split('.') as [string, string]
    return { position, alertId }
  })

export const cursorOf = (row: Pick<Selectable<AlertsTable>, 'position' | 'alert_id'>) => `${row.position}.${row.alert_id}`

/** Alerts strictly after the cursor, in cursor order. */
export function alertsAfter<O>(query: SelectQueryBuilder<Database, 'alerts', O>, cursor: AlertCursor | undefined) {
  const after = cursor ? query.where((eb) => eb(eb.refTuple('alerts.position', 'alerts.alert_id'), '>', eb.tuple(cursor.position, cursor.alertId))) : query
  return after.orderBy('alerts.position').orderBy('alerts.alert_id')
}
