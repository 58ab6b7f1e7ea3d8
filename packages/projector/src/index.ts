export { type LagMetrics, type WatchLagOptions, watchLag } from './lag.js'
export type { Projection } from './projection.js'
export { type Projector, type ProjectorMetrics, type ProjectorOptions, startProjector } from './projector.js'
