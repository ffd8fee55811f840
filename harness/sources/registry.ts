// Every scenario source drdrill knows, by name: none yet (a scenario's points come from its backup
// steps). A new source is one file plus one line here.
import type { SourceDef } from "./source.ts";

export const SOURCES: Record<string, SourceDef<any>> = Object.fromEntries(
  ([] as SourceDef<any>[]).map((s) => [s.name, s]),
);
