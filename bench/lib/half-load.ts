import type { WrkResult } from './wrk.js';

/**
 * wrk (unlike wrk2) has no fixed-rate mode. bench/wrk/request.lua's delay() makes each of the N
 * connections pause a random 0..2×D ms (mean D, whole-ms timers) before each request, so the rate
 * is about N / (D + latency). D is found by measuring: short runs, corrected from the rate they
 * achieved (at most `MAX_CALIBRATION_RUNS`). The achieved rate of the real run is reported as is.
 * The connection count stays that of the saturating runs: at half load about N/2 requests are in
 * flight (rate × latency), so fewer connections could not reach the rate.
 */
export const MAX_CALIBRATION_RUNS = 3;
/** A calibration run lasts long enough for about this many requests (and 3 cycles of a connection)… */
const CALIBRATION_REQUESTS = 1000;
/** …but at least 1 s and at most one measured run. */
function calibrationSeconds(targetReqPerSec: number, cycleMs: number, maxSeconds: number): number {
  const wanted = Math.max(CALIBRATION_REQUESTS / targetReqPerSec, (3 * cycleMs) / 1000);
  return Math.min(maxSeconds, Math.max(1, Math.ceil(wanted)));
}
/** Close enough to the wanted rate to stop calibrating. */
const TOLERANCE = 0.05;

/** Runs wrk paced with mean delay `meanDelayMs` for `durationS` seconds. */
export type PacedRun = (meanDelayMs: number, durationS: number) => Promise<WrkResult>;

export interface Calibration {
  readonly targetReqPerSec: number;
  readonly meanDelayMs: number;
  /** Rate of the last calibration run. */
  readonly calibratedReqPerSec: number;
  readonly runs: number;
  readonly secondsPerRun: number;
}

/**
 * Finds the mean delay D at which `connections` paced connections send about `targetReqPerSec`.
 * Per connection one request takes D + overhead ms (latency, timer slack); the overhead is
 * measured by each run and D corrected from it.
 */
export async function calibrate(
  run: PacedRun,
  targetReqPerSec: number,
  connections: number,
  maxSeconds: number,
): Promise<Calibration> {
  const cycleMs = (connections * 1000) / targetReqPerSec;
  const seconds = calibrationSeconds(targetReqPerSec, cycleMs, maxSeconds);
  let delay = cycleMs;
  let achieved = 0;
  let runs = 0;
  while (runs < MAX_CALIBRATION_RUNS) {
    const result = await run(delay, seconds);
    runs++;
    achieved = result.reqPerSec;
    if (achieved <= 0) {
      throw new Error(
        `no request completed in a ${seconds}s calibration run (${connections} connections pacing ~${(cycleMs / 1000).toFixed(1)} s apart): use a longer --duration`,
      );
    }
    if (Math.abs(achieved / targetReqPerSec - 1) <= TOLERANCE) break;
    const overheadMs = (connections * 1000) / achieved - delay;
    delay = Math.max(0, cycleMs - overheadMs);
  }
  return { targetReqPerSec, meanDelayMs: delay, calibratedReqPerSec: achieved, runs, secondsPerRun: seconds };
}
