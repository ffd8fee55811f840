// Every fault drdrill knows, by name. A new fault is one file plus one line here.
import type { Fault } from "./fault.ts";
import deletePath from "./delete-path.ts";

export const FAULTS: Record<string, Fault<any>> = {
  [deletePath.name]: deletePath,
};
