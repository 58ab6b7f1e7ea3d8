import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook, webhookHeaders } from '@tradewatch/webhooks'

export interface ReceivedWebhook {
  key: string
  body: { alertId: string; title: string; position: number }
  at: number
}

export interface WebhookReceiver {
  readonly url: string
  /** Requests that arrived, valid or not, repeats included. */
  readonly requests: number
  /** Requests whose signature did not verify. */
  readonly rejected: number
  /** Each idempotency key once: what a de-duplicating receiver holds. */
  readonly held: ReadonlyMap<string, ReceivedWebhook>
  close(): Promise<void>
}

export interface ReceiverOptions {
  secret: string
  /** Listen here (e.g. a port the alert service was already pointed at while nothing listened). */
  port?: number
  /** Called per verified request before answering; return false to drop the connection without an answer. */
  answer?: (key: string, repeat: boolean) => boolean
}

/** A real HTTP webhook receiver on 127.0.0.1 that verifies signatures and de-duplicates by idempotency key. */
export async function startWebhookReceiver(options: ReceiverOptions): Promise<WebhookReceiver> {
  const held = new Map<string, ReceivedWebhook>()
  let requests = 0
  let rejected = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests++
      const body = Buffer.concat(chunks).toString('utf8')
      const verified = verifyWebhook({ secret: options.secret, header: req.headers[webhookHeaders.signature] as string | undefined, body })
      if (!verified.ok) {
        rejected++
        return void res.writeHead(401).end(verified.code)
      }
      const key = req.headers[webhookHeaders.idempotencyKey] as string
      const repeat = held.has(key)
      if (!repeat) held.set(key, { key, body: JSON.parse(body), at: performance.now() })
      if (options.answer && !options.answer(key, repeat)) return void req.socket.destroy()
      res.writeHead(repeat ? 200 : 201).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/tradewatch`,
    get requests() {
      return requests
    },
    get rejected() {
      return rejected
    },
    held,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
