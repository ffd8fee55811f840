// How to start one of drdrill's own modules as a process of its own: compiled (dist/, a .js file) with
// node alone; from the sources in a checkout (a .ts file) through tsx, a development dependency.
import { fileURLToPath } from "node:url";

/** node's arguments that run the module `name` (without extension) beside `callerUrl` (import.meta.url). */
export function nodeScriptArgs(name: string, callerUrl: string): { script: string; args: string[] } {
  const fromSource = callerUrl.endsWith(".ts");
  const script = fileURLToPath(new URL(`./${name}${fromSource ? ".ts" : ".js"}`, callerUrl));
  return { script, args: fromSource ? ["--import", import.meta.resolve("tsx"), script] : [script] };
}
