// Scenario field types with units, each with bounds a drill can actually run (a timer past ~24.8 days
// fires at once; a backup every 0 ms never ends): the same rule for files and the command line.
import { z } from "zod";
import { formatDuration, parseDuration, parseRate, parseSize } from "./units.ts";

export const MAX_DURATION_MS = 24 * 3_600_000;

export const sizeText = z
  .union([z.string(), z.number()])
  .refine((v) => parseSize(v) !== undefined, {
    message: 'not a size; write e.g. "50MB", "3.34GB" or a number of bytes',
  })
  .describe("A size: 50MB, 3.34GB, 512MiB, or bytes.");

export const rateText = z
  .string()
  .refine((v) => (parseRate(v) ?? 0) > 0, { message: 'not a rate; write e.g. "2MB/s", "500KB/s"' })
  .describe("A rate: 2MB/s, 500KB/s.");

/** Why a duration is out of bounds, or undefined when it is fine. */
export function durationProblem(
  text: string | number,
  bounds: { minMs?: number; maxMs?: number } = {},
): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return 'not a duration; write e.g. "500ms", "10s", "5m", "1h"';
  const min = bounds.minMs ?? 0;
  const max = bounds.maxMs ?? MAX_DURATION_MS;
  if (ms < min) return `${formatDuration(ms)} is too short: at least ${formatDuration(min)}`;
  if (ms > max) return `${formatDuration(ms)} is too long: at most ${formatDuration(max)}`;
  return undefined;
}

export function durationText(bounds: { minMs?: number; maxMs?: number } = {}) {
  return z
    .string()
    .superRefine((v, ctx) => {
      const p = durationProblem(v, bounds);
      if (p) ctx.addIssue({ code: "custom", message: p });
    })
    .describe("A duration: 500ms, 10s, 5m, 1h.");
}
