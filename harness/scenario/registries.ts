// The plug-ins a scenario is read, checked and run with: steps (the fault step over the faults),
// tools, targets, scenario sources, stores at site B. The bundled set, or one with more (the runner's tests add a
// fake tool and a fake target, and run scenarios that name them).
import type { Fault } from "../faults/fault.ts";
import { FAULTS } from "../faults/registry.ts";
import { SOURCES } from "../sources/registry.ts";
import type { SourceDef } from "../sources/source.ts";
import { createSteps, STEPS } from "../steps/registry.ts";
import type { StepDef } from "../steps/step.ts";
import { STORES } from "../stores/registry.ts";
import type { StoreDef } from "../stores/store.ts";
import { TARGETS } from "../targets/registry.ts";
import type { Target } from "../targets/target.ts";
import { TOOLS } from "../tools/registry.ts";
import type { ToolAdapter } from "../tools/tool.ts";

export interface Registries {
  readonly steps: Readonly<Record<string, StepDef<any>>>;
  readonly faults: Readonly<Record<string, Fault<any>>>;
  readonly tools: Readonly<Record<string, ToolAdapter<any>>>;
  readonly targets: Readonly<Record<string, Target>>;
  readonly sources: Readonly<Record<string, SourceDef<any>>>;
  readonly stores: Readonly<Record<string, StoreDef>>;
}

export const REGISTRIES: Registries = {
  steps: STEPS,
  faults: FAULTS,
  tools: TOOLS,
  targets: TARGETS,
  sources: SOURCES,
  stores: STORES,
};

/** The bundled plug-ins and more; the fault step then hosts the faults given too. */
export function withPlugins(more: Partial<Registries>, base: Registries = REGISTRIES): Registries {
  const faults = { ...base.faults, ...more.faults };
  return {
    faults,
    steps: { ...(more.faults ? createSteps(faults) : base.steps), ...more.steps },
    tools: { ...base.tools, ...more.tools },
    targets: { ...base.targets, ...more.targets },
    sources: { ...base.sources, ...more.sources },
    stores: { ...base.stores, ...more.stores },
  };
}
