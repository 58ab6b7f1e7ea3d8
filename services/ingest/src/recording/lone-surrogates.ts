const loneSurrogate = /\p{Surrogate}/u

/**
 * The paths of strings (keys too) that hold a lone surrogate. JSON can carry one (`"\ud800"`) but
 * UTF-8 cannot: Postgres would refuse it, and with it the whole group commit it joined. Below
 * `maxDepth` nothing is looked at: no valid input nests that deep, and the schema refuses it.
 */
export function loneSurrogatePaths(value: unknown, maxDepth = 32): (string | number)[][] {
  const found: (string | number)[][] = []
  const visit = (node: unknown, path: (string | number)[]) => {
    if (typeof node === 'string') {
      if (loneSurrogate.test(node)) found.push(path)
      return
    }
    if (typeof node !== 'object' || node === null || path.length >= maxDepth) return
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node[i], [...path, i])
      return
    }
    for (const [key, child] of Object.entries(node)) {
      if (loneSurrogate.test(key)) found.push([...path, key])
      visit(child, [...path, key])
    }
  }
  visit(value, [])
  return found
}
