export { type ActiveMeasure, type DirectionSummary, type LastChange, type RelationSummary, relationSummary } from './relation-summary.js'
export { type RelationPair, relationsOf } from './relations-of.js'
export { searchTimeline, type TimelineEntry, type TimelineSearch } from './search-timeline.js'
export { type AppliedTariff, mostSpecificLine, type TariffsAtQuery, tariffsAt } from './tariffs-at.js'
