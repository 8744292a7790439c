// The shutdown timeline against the pod's grace period (issue 4: `plan`).
import type { Config } from './config.js';

/** Warnings when the timeline does not fit; empty when it fits or no grace period is known. */
export function timelineWarnings(_config: Config): string[] {
  return [];
}
