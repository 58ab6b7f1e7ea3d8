import type { Source } from '@tradewatch/domain'
import type { TimelineEntry } from '../timeline.js'

// Host → kind of publication; anything not listed is news.
const kindsByHost: Record<string, Source['kind']> = {
  'gazette.gc.ca': 'official_gazette',
  'search.open.canada.ca': 'government_release',
  'www.ohiodec.org': 'government_release',
  'globaltradealert.org': 'database',
  'www.lexology.com': 'law_firm',
  'www.barnesrichardson.com': 'law_firm',
  'globaltradeandsanctionslaw.com': 'law_firm',
  'bennettjones.com': 'law_firm',
  'nortonrosefulbright.com': 'law_firm',
  'gowlingwlg.com': 'law_firm',
  'www.clearytradewatch.com': 'law_firm',
  'www.akingump.com': 'law_firm',
  'www.bdo.com': 'law_firm',
  'www.thompsonhinesmartrade.com': 'law_firm',
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/
const writtenDate = /^\d{1,2} [A-Z][a-z]+ \d{4}$/

/**
 * The event source for a timeline entry: its title and url kept as they are, the publisher (and the
 * publication date, when ISO) read from the title's closing parentheses, e.g. "… (Mint, 2025-03-10)".
 */
export function sourceOf(entry: TimelineEntry): Source {
  const { title, url } = entry.source
  const source: Source = { kind: kindsByHost[new URL(url).host] ?? 'news', url, title }
  const trailer = /\(([^()]+)\)$/.exec(title)?.[1]
  if (!trailer) return source
  const parts = trailer.split(', ')
  const last = parts.at(-1) ?? ''
  if (isoDate.test(last)) source.publishedAt = last
  const publisher = (isoDate.test(last) || writtenDate.test(last) ? parts.slice(0, -1) : parts).join(', ')
  if (publisher && !/^\d{4}$/.test(publisher)) source.publisher = publisher
  return source
}
