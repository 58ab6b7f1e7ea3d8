import { unstorableReason } from '@tradewatch/domain'

export interface UnstorableText {
  path: (string | number)[]
  reason: string
}

/**
 * The strings (keys too) that JSON can carry but Postgres cannot store: a NUL or a lone surrogate.
 * Postgres would refuse one, and with it the whole group commit it joined. Below `maxDepth` nothing
 * is looked at: no valid input nests that deep, and the schema refuses it.
 */
export function unstorableText(value: unknown, maxDepth = 32): UnstorableText[] {
  const found: UnstorableText[] = []
  const visit = (node: unknown, path: (string | number)[]) => {
    if (typeof node === 'string') {
      const reason = unstorableReason(node)
      if (reason) found.push({ path, reason })
      return
    }
    if (typeof node !== 'object' || node === null || path.length >= maxDepth) return
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node[i], [...path, i])
      return
    }
    for (const [key, child] of Object.entries(node)) {
      const reason = unstorableReason(key)
      if (reason) found.push({ path: [...path, key], reason })
      visit(child, [...path, key])
    }
  }
  visit(value, [])
  return found
}
