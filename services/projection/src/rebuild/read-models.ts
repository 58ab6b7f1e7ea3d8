import { agreementsProjection } from '../agreements/agreements.projection.js'
import { eventArchiveProjection } from '../event-archive/event-archive.projection.js'
import { measureHistoryProjection } from '../measure-history/measure-history.projection.js'
import { measuresProjection } from '../measures/measures.projection.js'
import { relationsProjection } from '../relations/relations.projection.js'
import { tariffLinesProjection } from '../tariff-lines/tariff-lines.projection.js'
import { timelineProjection } from '../timeline/timeline.projection.js'

/** Every read model this service keeps: what `tradewatch projections rebuild` can rebuild, by name. */
export const readModels = [
  measuresProjection,
  measureHistoryProjection,
  tariffLinesProjection,
  agreementsProjection,
  timelineProjection,
  eventArchiveProjection,
  relationsProjection,
] as const
