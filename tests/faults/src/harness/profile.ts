/**
 * How hard the fault suite pushes: `full` (`pnpm test:faults`) or `ci` (FAULTS_PROFILE=ci, in
 * `.ci/run`). The checks are the same; only the kills differ. Both soak for ten minutes: its memory
 * check fits a line through each service's retained heap, and a full collection comes only every
 * 30–50 s at 500 events/s, so a one-minute soak would judge two or three points.
 */
export interface FaultProfile {
  name: 'full' | 'ci'
  /** SIGKILLs per service in the kill scenario. */
  killsPerService: number
  /** Events per second the loader posts while faults happen. */
  loadRate: number
  /** How long the receiver stays down. */
  receiverDownMs: number
  soakRate: number
  soakMs: number
  /** Memory samples before this are warm-up, not judged. */
  soakWarmupMs: number
}

const profiles: Record<FaultProfile['name'], FaultProfile> = {
  full: { name: 'full', killsPerService: 5, loadRate: 300, receiverDownMs: 60_000, soakRate: 500, soakMs: 600_000, soakWarmupMs: 120_000 },
  ci: { name: 'ci', killsPerService: 2, loadRate: 300, receiverDownMs: 60_000, soakRate: 500, soakMs: 600_000, soakWarmupMs: 120_000 },
}

export function faultProfile(): FaultProfile {
  const name = process.env.FAULTS_PROFILE ?? 'full'
  const profile = profiles[name as FaultProfile['name']]
  if (!profile) throw new Error(`FAULTS_PROFILE must be one of ${Object.keys(profiles).join(', ')}, got "${name}"`)
  return profile
}
