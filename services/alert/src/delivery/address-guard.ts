import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Addresses a webhook must not reach by default: this host, private networks, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, unique-local IPv6, multicast and reserved ranges.
 */
const refused = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  refused.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d (::127.0.0.1 is tried as a connection otherwise).
  ['::', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  // Deprecated site-local: private wherever it is still routed.
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  refused.addSubnet(network, prefix, 'ipv6')

/** A delivery refused before any byte was sent: the address is not one webhooks may reach. */
export class AddressRefusedError extends Error {
  readonly code = 'WEBHOOK_ADDRESS_REFUSED'
  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to ${address}, a private, loopback, link-local or reserved address (allow it with WEBHOOK_ALLOW_HOSTS)`)
  }
}

export interface AddressGuard {
  /** Throws AddressRefusedError when `hostname` (an IP literal or a name resolved to `address`) may not be reached. */
  check(hostname: string, address: string): void
  /** A `lookup` for http.request that resolves, then refuses the connection if any resolved address is refused. */
  lookup: LookupFunction
}

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4')
// "::ffff:127.0.0.1" is 127.0.0.1: judge it as IPv4.
const unmapped = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1')

/**
 * The SSRF guard. `allow` lists what local setups may reach anyway: host names (exact, any
 * address they resolve to), IP addresses and CIDR ranges, e.g. `receiver,127.0.0.1,10.1.0.0/16`.
 * The check is on the address actually connected to, at delivery time, so a name that later
 * resolves somewhere private (DNS rebinding) is still refused.
 */
export function createAddressGuard(allow: readonly string[]): AddressGuard {
  const hosts = new Set<string>()
  const allowed = new BlockList()
  for (const entry of allow.map((e) => e.trim().toLowerCase()).filter(Boolean)) {
    const [network, prefix] = entry.split('/')
    if (prefix !== undefined && isIP(network ?? '')) allowed.addSubnet(network as string, Number(prefix), family(network as string))
    else if (isIP(entry)) allowed.addAddress(entry, family(entry))
    else hosts.add(entry)
  }
  const refuses = (hostname: string, address: string) => {
    if (hosts.has(hostname.toLowerCase())) return false
    const ip = unmapped(address)
    return !allowed.check(ip, family(ip)) && refused.check(ip, family(ip))
  }
  // An IP literal is judged on every request (no lookup to hook) and its verdict never changes: kept.
  const literals = new Map<string, boolean>()
  const check = (hostname: string, address: string) => {
    let refusal = hostname === address ? literals.get(address) : undefined
    if (refusal === undefined) {
      refusal = refuses(hostname, address)
      if (hostname === address && literals.size < 10_000) literals.set(address, refusal)
    }
    if (refusal) throw new AddressRefusedError(hostname, address)
  }
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0)
      try {
        for (const a of addresses) check(hostname, a.address)
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, '', 0)
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
      const first = addresses[0] as LookupAddress
      callback(null, first.address, first.family)
    })
  }
  return { check, lookup }
}
