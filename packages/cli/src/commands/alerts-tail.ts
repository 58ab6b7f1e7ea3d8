import { aggregateIdSchema, streams, subjects } from '@tradewatch/domain'
import { connect, DeliverPolicy, type JsMsg } from 'nats'
import { UsageError } from '../usage-error.js'

export interface TailOptions {
  natsUrl: string
  prefix: string
  /** Only this subscription's alerts; all when absent. */
  subscription?: string
  /** Replay what the alerts stream still holds (7 days) before following; otherwise only new alerts. */
  fromStart: boolean
  json: boolean
  /** Where lines go (stdout in the CLI). */
  write: (line: string) => void
  /** Stops following (Ctrl-C in the CLI). */
  signal: AbortSignal
}

/** What the alert service publishes, as far as a line needs it. */
interface PublishedAlert {
  subscriptionId?: string
  title?: string
  event?: { type?: string; source?: { url?: string } }
}

/** One readable line: when it was published, the subscription, the title, the event type and the source. */
export function alertLine(msg: Pick<JsMsg, 'info' | 'subject' | 'string'>): string {
  const time = new Date(Math.floor(msg.info.timestampNanos / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z')
  let alert: PublishedAlert = {}
  try {
    alert = JSON.parse(msg.string()) as PublishedAlert
  } catch {
    return `${time}  ${msg.subject}  (not JSON: ${msg.string().slice(0, 80)})`
  }
  const source = alert.event?.source?.url ? `  ${alert.event.source.url}` : ''
  return `${time}  ${alert.subscriptionId ?? msg.subject}  ${alert.title ?? '(no title)'}  [${alert.event?.type ?? '?'}]${source}`
}

/**
 * Follows the durable alerts stream (`<PREFIX>_ALERTS`) with an ordered consumer, printing a
 * line (or the alert's JSON) per alert until `signal` aborts. Resolves with the count printed.
 */
export async function tailAlerts(options: TailOptions): Promise<number> {
  if (options.subscription !== undefined && !aggregateIdSchema.safeParse(options.subscription).success) {
    throw new UsageError(`--subscription must be a subscription id (a lowercase slug or UUID), got "${options.subscription}"`)
  }
  const nc = await connect({ servers: options.natsUrl.split(','), name: 'tradewatch-alerts-tail' })
  let printed = 0
  try {
    const stream = streams.alerts(options.prefix)
    const jsm = await nc.jetstreamManager()
    await jsm.streams.info(stream).catch((err: { code?: string; message?: string }) => {
      throw new Error(`no alerts stream ${stream} on ${options.natsUrl} (${err.message}): start the alert service, or set TRADEWATCH_PREFIX`)
    })
    const subject = options.subscription ? subjects.alert(options.prefix, options.subscription) : subjects.allAlerts(options.prefix)
    // An ordered consumer starts at the stream's first message by default; nats.js 2.29 delivers
    // nothing when deliver_policy All is spelt out, so only New is.
    const consumer = await nc.jetstream().consumers.get(stream, {
      filterSubjects: subject,
      ...(options.fromStart ? {} : { deliver_policy: DeliverPolicy.New }),
    })
    const messages = await consumer.consume({ max_messages: 256 })
    const stop = () => messages.stop()
    if (options.signal.aborted) stop()
    options.signal.addEventListener('abort', stop, { once: true })
    for await (const msg of messages) {
      options.write(options.json ? msg.string() : alertLine(msg))
      printed += 1
    }
    options.signal.removeEventListener('abort', stop)
    return printed
  } finally {
    await nc.drain()
  }
}
