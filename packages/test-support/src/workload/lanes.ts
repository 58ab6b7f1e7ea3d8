/**
 * Splits `inputs` among `lanes` concurrent writers by a hash of their aggregate, so each aggregate's inputs
 * stay in one lane and in their order: the deciders see them as the workload wrote them.
 */
export function splitIntoLanes<T extends { measureId?: string; agreementId?: string }>(inputs: readonly T[], lanes: number): T[][] {
  const byLane = Array.from({ length: lanes }, () => [] as T[])
  for (const input of inputs) {
    let hash = 0
    for (const c of String(input.measureId ?? input.agreementId)) hash = (hash * 31 + c.charCodeAt(0)) >>> 0
    byLane[hash % lanes]?.push(input)
  }
  return byLane
}
