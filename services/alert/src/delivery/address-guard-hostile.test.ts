import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAddressGuard } from './address-guard.js'
import { guardedAgents, postWebhook } from './post-webhook.js'

// The guard through the whole delivery path (URL parsing, IP literals, DNS lookup), against a receiver on this
// host's loopback: any spelling of a local address that slipped through would be counted there.
const limits = { connectTimeoutMs: 1_000, timeoutMs: 2_000, maxResponseBytes: 1_024 }
let server: Server
let port: number
let reached = 0

beforeAll(async () => {
  server = createServer((_req, res) => {
    reached++
    res.writeHead(204).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '::', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

/** The code a delivery to `url` fails with, or `delivered`. */
async function deliver(url: string, allow: string[] = []): Promise<string> {
  const guard = createAddressGuard(allow)
  const agents = guardedAgents(guard, 1)
  try {
    await postWebhook(new URL(url), '{}', {}, guard, agents, limits)
    return 'delivered'
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  } finally {
    agents.http.destroy()
  }
}

/** Loopback spelled every way a URL parser accepts: decimal, octal, hex, short, mapped, expanded, by name. */
const loopbackSpellings = [
  'http://127.0.0.1:PORT/',
  'http://2130706433:PORT/',
  'http://0x7f.1:PORT/',
  'http://0x7f000001:PORT/',
  'http://0177.0.0.1:PORT/',
  'http://017700000001:PORT/',
  'http://127.1:PORT/',
  'http://127.0.1:PORT/',
  'http://0:PORT/',
  'http://0.0.0.0:PORT/',
  'http://[::1]:PORT/',
  'http://[0:0:0:0:0:0:0:1]:PORT/',
  'http://[::]:PORT/',
  'http://[::ffff:127.0.0.1]:PORT/',
  'http://[::ffff:7f00:1]:PORT/',
  'http://[::127.0.0.1]:PORT/',
  'http://[::7f00:1]:PORT/',
  'http://[0:0:0:0:0:ffff:127.0.0.1]:PORT/',
  'http://localhost:PORT/',
  'http://LOCALHOST:PORT/',
]

describe('webhook delivery to hostile addresses', () => {
  it.each(loopbackSpellings)('refuses %s before a byte reaches the receiver', async (spelling) => {
    expect(await deliver(spelling.replace('PORT', String(port)))).toBe('WEBHOOK_ADDRESS_REFUSED')
    expect(reached).toBe(0)
  })

  it('never delivers to localhost. (refused, or a name the resolver does not know)', async () => {
    expect(await deliver(`http://localhost.:${port}/`)).not.toBe('delivered')
    expect(reached).toBe(0)
  })

  it.each([
    'http://10.0.0.1/',
    'http://0xa.1/',
    'http://167772161/',
    'http://172.16.0.1/',
    'http://192.168.0.1/',
    'http://3232235521/',
    'http://169.254.169.254/latest/meta-data/',
    'http://0xa9fea9fe/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://100.64.0.1/',
    'http://100.127.255.254/',
    'http://[fd00::1]/',
    'http://[fc00::1]/',
    'http://[fe80::1]/',
    'http://[fec0::1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::ffff:192.168.1.1]/',
    'http://[64:ff9b::a00:1]/',
  ])('refuses the private, link-local, CGNAT or unique-local address %s', async (url) => {
    expect(await deliver(url)).toBe('WEBHOOK_ADDRESS_REFUSED')
  })

  it('delivers to the same receiver once it is allow-listed, however it is spelled', async () => {
    expect(await deliver(`http://2130706433:${port}/`, ['127.0.0.1'])).toBe('delivered')
    expect(await deliver(`http://0x7f.1:${port}/`, ['127.0.0.0/8'])).toBe('delivered')
    expect(await deliver(`http://localhost:${port}/`, ['localhost'])).toBe('delivered')
    expect(reached).toBe(3)
    reached = 0
  })
})
