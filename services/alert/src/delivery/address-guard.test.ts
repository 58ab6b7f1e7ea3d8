import { describe, expect, it } from 'vitest'
import { createAddressGuard } from './address-guard.js'

const refusedBy = (guard: ReturnType<typeof createAddressGuard>, host: string, address = host) => {
  try {
    guard.check(host, address)
    return false
  } catch (err) {
    return (err as { code?: string }).code === 'WEBHOOK_ADDRESS_REFUSED'
  }
}

describe('webhook address guard', () => {
  const guard = createAddressGuard([])

  it('refuses loopback, private, link-local, CGNAT, unique-local and mapped addresses by default', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
    ]) {
      expect(refusedBy(guard, address), address).toBe(true)
    }
  })

  it('judges the resolved address, not the name', () => {
    expect(refusedBy(guard, 'hooks.example.org', '10.0.0.7')).toBe(true)
    expect(refusedBy(guard, 'hooks.example.org', '93.184.216.34')).toBe(false)
  })

  it('lets public addresses through', () => {
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '172.32.0.1', '100.128.0.1'])
      expect(refusedBy(guard, address), address).toBe(false)
  })

  it('allows listed hosts, addresses and CIDR ranges, and only those', () => {
    const local = createAddressGuard(['127.0.0.1', 'receiver', '10.1.0.0/16', 'fd00::/8'])
    expect(refusedBy(local, '127.0.0.1')).toBe(false)
    expect(refusedBy(local, '127.0.0.2')).toBe(true)
    expect(refusedBy(local, 'receiver', '172.18.0.5')).toBe(false)
    expect(refusedBy(local, '10.1.200.3')).toBe(false)
    expect(refusedBy(local, '10.2.0.1')).toBe(true)
    expect(refusedBy(local, 'fd12::1')).toBe(false)
  })

  it('refuses a name that resolves to loopback when connecting (DNS lookup at delivery time)', async () => {
    const error = await new Promise<unknown>((resolve) => guard.lookup('localhost', {}, (err) => resolve(err)))
    expect((error as { code?: string }).code).toBe('WEBHOOK_ADDRESS_REFUSED')
  })
})
