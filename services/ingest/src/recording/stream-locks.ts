/**
 * In-process locks per aggregate stream. Recording holds its streams' locks from read to append,
 * so two requests of this process on one aggregate never race for the same version: the second
 * reads after the first appended. Only other replicas can still conflict (and are retried).
 * Streams are locked in sorted order, so two batches sharing aggregates cannot deadlock.
 */
export class StreamLocks {
  readonly #tails = new Map<string, Promise<void>>()

  async acquire(streamIds: Iterable<string>): Promise<() => void> {
    const releases: (() => void)[] = []
    for (const id of [...new Set(streamIds)].sort()) {
      const previous = this.#tails.get(id) ?? Promise.resolve()
      let release = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      const tail = previous.then(() => held)
      this.#tails.set(id, tail)
      await previous
      releases.push(() => {
        release()
        if (this.#tails.get(id) === tail) this.#tails.delete(id)
      })
    }
    return () => {
      for (const release of releases) release()
    }
  }

  /** Streams locked or waited for now: zero when idle (no leak). */
  get size(): number {
    return this.#tails.size
  }
}
