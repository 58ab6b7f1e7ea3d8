import type { NatsConnection } from 'nats'

export interface StoredMessage {
  seq: number
  subject: string
  msgId: string | undefined
  position: number
}

/** Every message of a stream, by sequence, with the headers the relay sets. For small test streams. */
export async function streamMessages(nc: NatsConnection, stream: string): Promise<StoredMessage[]> {
  const jsm = await nc.jetstreamManager()
  const { state } = await jsm.streams.info(stream)
  const messages: StoredMessage[] = []
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq })
    messages.push({ seq: m.seq, subject: m.subject, msgId: m.header?.get('Nats-Msg-Id'), position: Number(m.header?.get('Tw-Position')) })
  }
  return messages
}

/** The stream's last sequence, or 0 while it does not exist or NATS does not answer. */
export async function streamLastSequence(nc: NatsConnection, stream: string): Promise<number> {
  const jsm = await nc.jetstreamManager().catch(() => undefined)
  const info = await jsm?.streams.info(stream).catch(() => undefined)
  return info?.state.last_seq ?? 0
}
