export { type ActiveMeasure, type DirectionSummary, type LastChange, type RelationSummary, relationSummary } from './relation-summary.js'
export { type RelationPair, relationsOf } from './relations-of.js'
export { searchTimeline, type TimelineEntry, type TimelineSearch } from './search-timeline.js'
export { type AppliedTariff, assertHs, mostSpecificLine, type TariffsAtQuery, tariffsAt, tariffsAtMany } from './tariffs-at.js'
