// wait: DURATION. A pause.
import { parseDuration } from "../util/units.ts";
import { durationText } from "../util/zod-units.ts";
import { pause } from "./pause.ts";
import { defineStep } from "./step.ts";

export default defineStep({
  name: "wait",
  description: "Pause.",
  schema: durationText().describe("Pause."),
  estimateMs: (duration) => parseDuration(duration) ?? 0,
  run: (duration, ctx) => pause(ctx, "wait", duration),
});
