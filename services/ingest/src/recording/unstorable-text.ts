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
  // One path, pushed and popped: a well-formed input, the usual one, allocates nothing here.
  const path: (string | number)[] = []
  const check = (text: string) => {
    const reason = unstorableReason(text)
    if (reason) found.push({ path: [...path], reason })
  }
  const visit = (node: unknown) => {
    if (typeof node === 'string') return check(node)
    if (typeof node !== 'object' || node === null || path.length >= maxDepth) return
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i)
        visit(node[i])
        path.pop()
      }
      return
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue
      path.push(key)
      check(key)
      visit((node as Record<string, unknown>)[key])
      path.pop()
    }
  }
  visit(value)
  return found
}
