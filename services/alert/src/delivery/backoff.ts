/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniformly random wait in [0, min(cap, base · 2^(attempt−1))], so receivers coming back from an
 * outage are not hit by every retry at once.
 */
export function retryDelayMs(attempt: number, options: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.floor(random() * ceiling)
}
