const loneSurrogate = /\p{Surrogate}/u
const isUnstorable = (text: string) => text.includes('\u0000') || loneSurrogate.test(text)

export interface UnstorableText {
  path: (string | number)[]
  reason: string
}

const reasonOf = (text: string) =>
  text.includes('\u0000')
    ? 'holds a NUL character (\\u0000), which Postgres text cannot store'
    : 'holds a lone surrogate (\\uD800–\\uDFFF unpaired), which UTF-8 cannot store'

/**
 * The strings (keys too) that JSON can carry but Postgres cannot store: a NUL or a lone surrogate.
 * Postgres would refuse one, and with it the whole group commit it joined. Below `maxDepth` nothing
 * is looked at: no valid input nests that deep, and the schema refuses it.
 */
export function unstorableText(value: unknown, maxDepth = 32): UnstorableText[] {
  const found: UnstorableText[] = []
  const visit = (node: unknown, path: (string | number)[]) => {
    if (typeof node === 'string') {
      if (isUnstorable(node)) found.push({ path, reason: reasonOf(node) })
      return
    }
    if (typeof node !== 'object' || node === null || path.length >= maxDepth) return
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node[i], [...path, i])
      return
    }
    for (const [key, child] of Object.entries(node)) {
      if (isUnstorable(key)) found.push({ path: [...path, key], reason: reasonOf(key) })
      visit(child, [...path, key])
    }
  }
  visit(value, [])
  return found
}
