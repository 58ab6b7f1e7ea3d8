import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook, webhookHeaders } from '@tradewatch/webhooks'

/** What the receiver keeps of one alert: enough to tell which (subscription, event) it was. */
export interface HeldAlert {
  subscriptionId: string
  eventId: string
}

export interface WebhookReceiver {
  readonly url: string
  /** Each idempotency key once, as a de-duplicating receiver keeps them. */
  readonly held: ReadonlyMap<string, HeldAlert>
  /** Requests whose key was already held: the retries the de-duplication absorbed. */
  readonly repeats: number
  readonly rejected: number
  /** Stops listening (connections cut) until `up`; the port stays this receiver's. */
  down(): Promise<void>
  up(): Promise<void>
  close(): Promise<void>
}

/** A webhook receiver on 127.0.0.1 that verifies signatures and de-duplicates by idempotency key. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const held = new Map<string, HeldAlert>()
  let repeats = 0
  let rejected = 0
  let port = 0
  let server: Server | undefined
  const listen = async () => {
    const listening = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        if (!verifyWebhook({ secret, header: req.headers[webhookHeaders.signature] as string | undefined, body }).ok) {
          rejected++
          return void res.writeHead(401).end()
        }
        const key = req.headers[webhookHeaders.idempotencyKey] as string
        if (held.has(key)) repeats++
        else {
          const alert = JSON.parse(body) as HeldAlert
          held.set(key, { subscriptionId: alert.subscriptionId, eventId: alert.eventId })
        }
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => listening.listen(port, '127.0.0.1', resolve))
    port = (listening.address() as AddressInfo).port
    server = listening
  }
  const down = async () => {
    const stopping = server
    server = undefined
    if (!stopping) return
    const closed = new Promise<void>((resolve) => stopping.close(() => resolve()))
    stopping.closeAllConnections()
    await closed
  }
  await listen()
  return {
    url: `http://127.0.0.1:${port}/hooks/tradewatch`,
    held,
    get repeats() {
      return repeats
    },
    get rejected() {
      return rejected
    },
    down,
    up: listen,
    close: down,
  }
}
