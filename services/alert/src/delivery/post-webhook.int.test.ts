import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAddressGuard } from './address-guard.js'
import { guardedAgents, postWebhook } from './post-webhook.js'

const guard = createAddressGuard(['127.0.0.1'])
const agents = guardedAgents(guard, 4)
const limits = { connectTimeoutMs: 1_000, timeoutMs: 3_000, maxResponseBytes: 1_024 }
let server: Server
let base: string
let received = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received = Buffer.concat(chunks).toString('utf8')
      if (req.url === '/endless') {
        // An answer that never ends: 200, then megabytes until the client hangs up.
        res.writeHead(200)
        const chunk = Buffer.alloc(64 * 1024, 'x')
        const pump = () => {
          while (!res.destroyed && res.write(chunk)) {}
          if (!res.destroyed) res.once('drain', pump)
        }
        res.on('close', () => res.removeAllListeners('drain'))
        return pump()
      }
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end()
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`got ${req.headers['x-test']}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  agents.http.destroy()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('postWebhook', () => {
  it('posts the body as JSON with the given headers and returns the status and the start of the answer', async () => {
    const result = await postWebhook(new URL(`${base}/ok`), '{"a":1}', { 'x-test': 'yes' }, guard, agents, limits)
    expect(result).toEqual({ statusCode: 200, body: 'got yes' })
    expect(received).toBe('{"a":1}')
  })

  it('given an endless answer, then it stops reading at the limit and keeps the status', async () => {
    const started = performance.now()
    const result = await postWebhook(new URL(`${base}/endless`), '{}', {}, guard, agents, limits)
    expect(result.statusCode).toBe(200)
    expect(result.body.length).toBeLessThanOrEqual(500)
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('does not follow a redirect (it could lead anywhere): the 302 is the answer', async () => {
    expect((await postWebhook(new URL(`${base}/redirect`), '{}', {}, guard, agents, limits)).statusCode).toBe(302)
  })

  it('given a port nobody listens on, then it rejects with the connection error', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    await expect(postWebhook(new URL(`http://127.0.0.1:${port}/`), '{}', {}, guard, agents, limits)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })
})
