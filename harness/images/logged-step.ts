// One step of an image build (a script, `docker build`), its output appended to the build's log
// file; a failure names the step and the log.
import { execa } from "execa";
import { createWriteStream } from "node:fs";
import { EnvironmentError } from "../model/errors.ts";

/** Runs `cmd args` with `env`, output to `log`; throws `<what>: <label> failed (exit N); the log is ...`. */
export async function loggedStep(
  what: string,
  label: string,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  log: string,
): Promise<void> {
  const out = createWriteStream(log, { flags: "a" });
  out.write(`\n== ${label}: ${cmd} ${args.join(" ")}\n`);
  const child = execa(cmd, args, { env, reject: false, stdin: "ignore", all: true, buffer: false });
  child.all?.pipe(out, { end: false });
  const r = await child;
  await new Promise<void>((res) => out.end(res));
  if (r.exitCode !== 0) throw new EnvironmentError(`${what}: ${label} failed (exit ${r.exitCode}); the log is ${log}`);
}
