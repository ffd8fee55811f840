// load: DURATION. The load writer keeps writing this long (what achieved RPO is measured against).
import { parseDuration } from "../util/units.ts";
import { durationText } from "../util/zod-units.ts";
import { pause } from "./pause.ts";
import { defineStep } from "./step.ts";

export default defineStep({
  name: "load",
  description: "Let the load writer run this long (what RPO is measured against).",
  schema: durationText().describe("Let the load writer run this long (what RPO is measured against)."),
  estimateMs: (duration) => parseDuration(duration) ?? 0,
  run: (duration, ctx) => pause(ctx, "load", duration),
});
