import { describe, expect, it } from 'vitest'
import { alertIdOf } from './alert-id.js'

describe('alertIdOf', () => {
  it('gives the same id for the same subscription and event, and a UUID', () => {
    const id = alertIdOf('all-changes', '5b0e7f0e-1a7e-4d55-9a55-111111111111')
    expect(id).toBe(alertIdOf('all-changes', '5b0e7f0e-1a7e-4d55-9a55-111111111111'))
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('differs per subscription and per event', () => {
    const event = '5b0e7f0e-1a7e-4d55-9a55-111111111111'
    expect(alertIdOf('a', event)).not.toBe(alertIdOf('b', event))
    expect(alertIdOf('a', event)).not.toBe(alertIdOf('a', '5b0e7f0e-1a7e-4d55-9a55-222222222222'))
  })
})
