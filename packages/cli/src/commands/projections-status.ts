import { createDb } from '@tradewatch/db'
import { sql } from 'kysely'

/** One consumer's progress, as `tradewatch projections status` shows it. */
export interface ProjectionStatus {
  name: string
  checkpoint: number
  /** The event store's last position. */
  head: number
  lag: number
  deadLetters: number
  lastDeadLetterReason: string | null
}

/**
 * Every consumer with a checkpoint or a dead letter (projections and the alert matcher share
 * the mechanism), read from Postgres alone: the record that counts, and it works with NATS down.
 * A projection that never committed and never dead-lettered is not listed yet.
 */
export async function projectionsStatus(databaseUrl: string): Promise<ProjectionStatus[]> {
  const db = createDb(databaseUrl, { poolSize: 1, applicationName: 'tradewatch-cli' })
  try {
    const { rows } = await sql<{ name: string; checkpoint: string; head: string; dead_letters: string; last_reason: string | null }>`
      WITH names AS (SELECT name FROM consumer_checkpoints UNION SELECT consumer FROM dead_letters)
      SELECT n.name,
             coalesce(c.position, 0) AS checkpoint,
             (SELECT coalesce(max(position), 0) FROM events) AS head,
             (SELECT count(*) FROM dead_letters d WHERE d.consumer = n.name) AS dead_letters,
             (SELECT reason FROM dead_letters d WHERE d.consumer = n.name ORDER BY d.id DESC LIMIT 1) AS last_reason
      FROM names n LEFT JOIN consumer_checkpoints c ON c.name = n.name
      ORDER BY n.name`.execute(db)
    return rows.map((r) => ({
      name: r.name,
      checkpoint: Number(r.checkpoint),
      head: Number(r.head),
      lag: Number(r.head) - Number(r.checkpoint),
      deadLetters: Number(r.dead_letters),
      lastDeadLetterReason: r.last_reason,
    }))
  } finally {
    await db.destroy()
  }
}

const reasonWidth = 60

/** A plain-text table, one line per consumer; long reasons are cut (`--json` has them whole). */
export function renderStatusTable(statuses: readonly ProjectionStatus[]): string {
  if (statuses.length === 0) return 'no projection has committed a checkpoint yet'
  const header = ['NAME', 'CHECKPOINT', 'HEAD', 'LAG', 'DEAD LETTERS', 'LAST DEAD LETTER']
  const cut = (s: string) => (s.length > reasonWidth ? `${s.slice(0, reasonWidth - 1)}…` : s)
  const rows = statuses.map((s) => [s.name, String(s.checkpoint), String(s.head), String(s.lag), String(s.deadLetters), cut(s.lastDeadLetterReason ?? '-')])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  // Names and reasons left-aligned, numbers right-aligned.
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}
