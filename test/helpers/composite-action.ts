// Runs a composite action's `run:` steps as GitHub's runner would: each in `bash --noprofile --norc -eo
// pipefail`, with ${{ inputs.x }}, ${{ steps.id.outputs.x }}, ${{ github.x }} and ${{ env.x }} substituted
// in `run`, `env`, `with` and the action's outputs, inputs also as INPUT_<NAME>, GITHUB_ACTION_PATH, a
// GITHUB_OUTPUT file per step and one GITHUB_ENV file whose lines reach the later steps. A `uses:` step is
// not run: it is returned with its `with` evaluated. After a failed step only `if: always()` steps run;
// any other `if:` or expression is refused, so the action cannot use what this does not emulate.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

export interface ActionRun {
  /** The action's outputs, evaluated. */
  outputs: Record<string, string>;
  /** What the steps wrote to GITHUB_ENV. */
  env: Record<string, string>;
  /** Every step, in order: a run step's exit code and output, a uses step's `with`; skipped ones left out. */
  steps: { id?: string; uses?: string; with?: Record<string, string>; code?: number; out?: string }[];
  /** The first failed step's exit code, else 0. */
  code: number;
}

/** GitHub's file commands: name=value lines and name<<DELIMITER blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      out[heredoc[1]!] = body.join("\n");
    } else if (line.includes("=")) out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  }
  return out;
}

function lookup(path: string, ctx: Record<string, unknown>): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], ctx);
}

/** Substitutes ${{ a.b.c }} (a dotted name only): inputs, steps, github, env; anything else is refused. */
function evaluate(text: string, ctx: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    if (!/^(inputs|steps|github|env)(\.[\w-]+)+$/.test(expr)) throw new Error(`unsupported expression: ${expr}`);
    const v = lookup(expr, ctx);
    return v === undefined || v === null ? "" : String(v);
  });
}

export function runCompositeAction(opts: {
  /** The folder holding action.yml (GITHUB_ACTION_PATH). */
  actionPath: string;
  inputs: Record<string, string>;
  /** The job's workspace: the steps' working folder. */
  cwd: string;
  /** A folder for the file commands' files. */
  temp: string;
  /** The job's environment (PATH, HOME, GITHUB_* variables...). */
  env: Record<string, string>;
  /** The github context (token, event...). */
  github?: Record<string, unknown>;
}): ActionRun {
  const action = parse(readFileSync(join(opts.actionPath, "action.yml"), "utf8"));
  if (action.runs?.using !== "composite") throw new Error("not a composite action");
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries<any>(action.inputs ?? {})) inputs[name] = String(spec?.default ?? "");
  for (const [name, v] of Object.entries(opts.inputs)) {
    if (!(name in inputs)) throw new Error(`the action has no input ${name}`);
    inputs[name] = v;
  }
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const ctx = { inputs, steps, github: opts.github ?? {}, env: {} as Record<string, string> };
  const fileEnv: Record<string, string> = {};
  const envFile = join(opts.temp, "github-env");
  writeFileSync(envFile, "");
  const result: ActionRun = { outputs: {}, env: fileEnv, steps: [], code: 0 };

  (action.runs.steps as Step[]).forEach((step, n) => {
    const condition = step.if?.trim();
    if (condition !== undefined && condition !== "always()") throw new Error(`unsupported if: ${condition}`);
    if (result.code !== 0 && condition !== "always()") return;
    if (step.uses) {
      const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(String(v), ctx)]));
      result.steps.push({ id: step.id, uses: step.uses, with: w });
      return;
    }
    if (step.shell !== "bash") throw new Error(`step ${step.id ?? n}: a composite run step needs shell: bash`);
    const outputFile = join(opts.temp, `github-output-${n}`);
    writeFileSync(outputFile, "");
    const script = join(opts.temp, `step-${n}.sh`);
    writeFileSync(script, evaluate(step.run ?? "", ctx));
    ctx.env = { ...opts.env, ...fileEnv };
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v), ctx)]));
    const inputEnv = Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, "_").toUpperCase()}`, v]),
    );
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd: opts.cwd,
      encoding: "utf8",
      env: {
        ...opts.env,
        ...fileEnv,
        ...inputEnv,
        ...stepEnv,
        GITHUB_ACTION_PATH: opts.actionPath,
        GITHUB_OUTPUT: outputFile,
        GITHUB_ENV: envFile,
      },
    });
    const code = r.status ?? 1;
    result.steps.push({ id: step.id, code, out: `${r.stdout}${r.stderr}` });
    if (step.id) steps[step.id] = { outputs: parseFileCommands(readFileSync(outputFile, "utf8")) };
    Object.assign(fileEnv, parseFileCommands(readFileSync(envFile, "utf8")));
    if (code !== 0 && result.code === 0) result.code = code;
  });
  for (const [name, spec] of Object.entries<any>(action.outputs ?? {}))
    result.outputs[name] = evaluate(String(spec.value), ctx);
  return result;
}
