/**
 * Wakes a loop that drains an outbox. A wake given while the loop is busy is kept, not dropped:
 * the round under way may have read before the waker's commit, so the next wait returns at once
 * instead of leaving those rows until the poll.
 */
export interface WakeSignal {
  wake(): void
  /** Resolves at the first wake since the last wait returned (at once if there was one), or after `ms`. */
  wait(ms: number): Promise<void>
}

export function createWakeSignal(): WakeSignal {
  let woken = false
  let release: (() => void) | undefined
  return {
    wake() {
      woken = true
      release?.()
    },
    wait(ms) {
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          release = undefined
          woken = false
          resolve()
        }
        const timer = setTimeout(done, ms)
        timer.unref()
        release = done
        if (woken) done()
      })
    },
  }
}
