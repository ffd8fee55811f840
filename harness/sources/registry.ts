// Every scenario source drdrill knows, by name (a scenario's points come from its backup steps, or
// from one of these). A new source is one file plus one line here.
import repository from "./repository.ts";
import type { SourceDef } from "./source.ts";

export const SOURCES: Record<string, SourceDef<any>> = Object.fromEntries(
  ([repository] as SourceDef<any>[]).map((s) => [s.name, s]),
);
