import { z } from 'zod'

export const scopes = ['ingest', 'read', 'subscribe', 'admin'] as const
export type Scope = (typeof scopes)[number]

export interface ApiKeyEntry {
  name: string
  scopes: ReadonlySet<Scope>
  /** SHA-256 of the key, hex: keys are never held in clear. */
  sha256: string
}

const entrySchema = z
  .string()
  .regex(/^[\w.-]{1,64}:[a-z+]+:[0-9a-f]{64}$/, 'each entry must be name:scope[+scope…]:sha256-hex')
  .transform((entry, ctx): ApiKeyEntry => {
    const [name, scopeList, sha256] = entry.split(':') as [string, string, string]
    const parsed = scopeList.split('+')
    const unknown = parsed.filter((s) => !(scopes as readonly string[]).includes(s))
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown scope ${unknown.join(', ')} (known: ${scopes.join(', ')})` })
    return { name, scopes: new Set(parsed as Scope[]), sha256 }
  })

/**
 * API_KEYS: comma-separated `name:scope[+scope…]:sha256hex`. Only hashes are configured, so a
 * leaked config or log reveals no key. `tradewatch keys new` prints a key and its entry.
 */
export const apiKeysEnv = {
  API_KEYS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const entries: ApiKeyEntry[] = []
      for (const raw of value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const parsed = entrySchema.safeParse(raw)
        if (parsed.success) entries.push(parsed.data)
        else for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${raw.split(':')[0]}: ${issue.message}` })
      }
      return entries
    }),
}
