import type { Db } from '@tradewatch/db'
import { headers } from '@tradewatch/domain'
import type { NatsConnection } from 'nats'

/**
 * The JetStream stream holds each stored event exactly once and in order: message n is the event at
 * position n (its Tw-Position header and its Nats-Msg-Id, the event id), and there are as many
 * messages as events. Read with an ordered consumer. Problems, or `[]`.
 */
export async function streamHoldsEachInOrder(nc: NatsConnection, stream: string, db: Db): Promise<string[]> {
  const rows = await db.selectFrom('events').select(['position', 'event_id']).orderBy('position').execute()
  const idAt = new Map(rows.map((r) => [Number(r.position), r.event_id]))
  const info = await (await nc.jetstreamManager()).streams.info(stream)
  const problems: string[] = []
  if (info.state.first_seq !== 1 || info.state.last_seq !== rows.length || info.state.messages !== rows.length)
    problems.push(`stream ${stream} holds seq ${info.state.first_seq}..${info.state.last_seq} (${info.state.messages} messages) for ${rows.length} events`)
  if (info.state.messages > 0) {
    const messages = await (await nc.jetstream().consumers.get(stream)).consume({ max_messages: 1_000 })
    for await (const m of messages) {
      const position = Number(m.headers?.get(headers.position))
      if (position !== m.seq) problems.push(`message ${m.seq} carries position ${position}`)
      else if (m.headers?.get('Nats-Msg-Id') !== idAt.get(position)) problems.push(`message ${m.seq} is not the event stored at ${position}`)
      if (m.seq >= info.state.last_seq || problems.length >= 20) break
    }
    messages.stop()
  }
  return problems.slice(0, 20)
}
