// Stopping and starting the target's services within a step, with the journal events downtime and
// RTO are measured from, and the health check after a start.
import type { StepContext } from "./step.ts";
import type { StateChanges } from "./state.ts";

export async function servicesDown(ctx: StepContext): Promise<void> {
  if (!ctx.target.servicesRunning()) return;
  ctx.journal.emit("services-down", {});
  await ctx.phase("quiesce", () => ctx.target.quiesce());
}

export async function servicesUp(ctx: StepContext): Promise<StateChanges> {
  await ctx.phase("resume", () => ctx.target.resume());
  return checkHealth(ctx);
}

export async function checkHealth(ctx: StepContext): Promise<StateChanges> {
  const health = await ctx.target.health();
  ctx.journal.emit("health", health);
  if (health.ok) ctx.journal.emit("services-up", {});
  return { facts: { healthOk: health.ok, healthDetail: health.detail } };
}
