// `drdrill init`: a first scenario for the user's data and, if wanted, the CI file that runs it; then
// the one command that runs it. Flags answer the questions; on a terminal the others are asked; off a
// terminal nothing is asked (defaults: generated data, restic, no CI file). Never overwrites a file.
import { existsSync, statSync } from "node:fs";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { basename, delimiter, dirname, join, relative, resolve, sep } from "node:path";
import { InputError, type InputIssue } from "../model/errors.ts";
import { packagePath } from "../util/package-root.ts";
import { INIT_TOOLS, initScenarioText, parseSshData, type InitData } from "./init-scenario.ts";

export interface InitOptions {
  data?: string;
  tool?: string[];
  ci?: string;
  name?: string;
}

const CI_KINDS = ["github", "gitlab", "none"] as const;
/** What each tool needs on PATH, for the hint after the files are written. */
const TOOL_BINARIES: Record<string, string[]> = {
  restic: ["restic"],
  borg: ["borg"],
  duplicity: ["duplicity", "gpg"],
  "tar-zstd": ["tar", "zstd"],
};

const flagIssue = (flag: string, message: string): InputIssue => ({
  file: "(command line)",
  line: 1,
  column: 1,
  path: flag,
  message,
});

/** An answer's problem, or undefined; `data` is resolved against `cwd`. */
function dataProblem(text: string, cwd: string): string | undefined {
  if (text === "" || parseSshData(text)) return undefined;
  const path = resolve(cwd, text);
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return `${path} does not exist (a folder on this machine, or [user@]host:/path over ssh)`;
  if (!st.isDirectory()) return `${path} is not a folder`;
  return undefined;
}

function toData(text: string, cwd: string): InitData {
  if (text === "") return { kind: "generated" };
  return parseSshData(text) ?? { kind: "folder", path: resolve(cwd, text) };
}

const toolProblem = (t: string) =>
  INIT_TOOLS[t] ? undefined : `"${t}" is not one of ${Object.keys(INIT_TOOLS).join(", ")}`;
const ciProblem = (c: string) =>
  (CI_KINDS as readonly string[]).includes(c) ? undefined : `"${c}" is not one of ${CI_KINDS.join(", ")}`;
const nameProblem = (n: string) =>
  /^[a-z0-9][a-z0-9-]{0,62}$/.test(n) ? undefined : `"${n}": lower-case letters, digits and dashes`;

/** Asks on the terminal until the answer is good (Enter takes the default). */
async function ask(
  rl: ReturnType<typeof createInterface>,
  question: string,
  fallback: string,
  problem: (answer: string) => string | undefined,
): Promise<string> {
  for (;;) {
    const answer = (await rl.question(`${question}${fallback ? ` [${fallback}]` : ""}: `)).trim() || fallback;
    const why = problem(answer);
    if (!why) return answer;
    process.stdout.write(`  ${why}\n`);
  }
}

/** How the user runs this drdrill: npx (installed in the project), drdrill (on PATH), or node and the path. */
function drdrillCommand(cwd: string): string {
  const script = process.argv[1] ?? "";
  if (basename(script) === "drdrill") {
    return script.startsWith(join(cwd, "node_modules") + sep) ? "npx drdrill" : "drdrill";
  }
  const bin = packagePath("bin", "drdrill.js");
  const rel = relative(cwd, bin);
  return `node ${rel.startsWith("..") ? bin : rel}`;
}

function ciFileFor(ci: string, name: string, cwd: string): { file: string; template: string } | undefined {
  if (ci === "github") return { file: join(".github", "workflows", `${name}.yml`), template: "github-actions.yml" };
  if (ci === "gitlab")
    return {
      // A project with a pipeline of its own includes this one from it.
      file: existsSync(join(cwd, ".gitlab-ci.yml")) ? join(".gitlab", `${name}.yml`) : ".gitlab-ci.yml",
      template: "gitlab-ci.yml",
    };
  return undefined;
}

const onPath = (bin: string) => (process.env.PATH ?? "").split(delimiter).some((d) => d && existsSync(join(d, bin)));

export async function initCommand(o: InitOptions, cwd = process.cwd()): Promise<number> {
  const issues: InputIssue[] = [];
  const check = (flag: string, why: string | undefined) => why && issues.push(flagIssue(flag, why));
  if (o.data !== undefined) check("--data", dataProblem(o.data, cwd));
  for (const t of o.tool ?? []) check("--tool", toolProblem(t));
  if (o.ci !== undefined) check("--ci", ciProblem(o.ci));
  if (o.name !== undefined) check("--name", nameProblem(o.name));
  if (issues.length > 0) throw new InputError(issues);

  let { data, tool: tools, ci } = o;
  const name = o.name ?? "dr-drill";
  if (process.stdin.isTTY && process.stdout.isTTY && (data === undefined || !tools || ci === undefined)) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      data ??= await ask(
        rl,
        "Data to drill: a folder here, [user@]host:/path over ssh, or Enter for generated data",
        "",
        (a) => dataProblem(a, cwd),
      );
      tools ??= [await ask(rl, `Backup tool (${Object.keys(INIT_TOOLS).join(", ")})`, "restic", toolProblem)];
      const guess = existsSync(join(cwd, ".github"))
        ? "github"
        : existsSync(join(cwd, ".gitlab-ci.yml"))
          ? "gitlab"
          : "none";
      ci ??= await ask(rl, `CI file (${CI_KINDS.join(", ")})`, guess, ciProblem);
    } finally {
      rl.close();
    }
  }
  tools = [...new Set(tools ?? ["restic"])];
  ci ??= "none";

  const scenarioFile = join("scenarios", `${name}.yaml`);
  const ciFile = ciFileFor(ci, name, cwd);
  const targets = [scenarioFile, ...(ciFile ? [ciFile.file] : [])];
  const taken = targets.filter((f) => existsSync(join(cwd, f)));
  if (taken.length > 0)
    throw new InputError(taken.map((f) => flagIssue("init", `${f} exists: drdrill init never overwrites a file`)));

  const drdrill = drdrillCommand(cwd);
  const runCommand = `${drdrill} run ${scenarioFile}`;
  // Relative when the package is inside the project (node_modules/drdrill), so the file works on any clone.
  const schema = packagePath("scenarios", "scenario.schema.json");
  const schemaRef = relative(cwd, schema).startsWith("..") ? schema : relative(join(cwd, "scenarios"), schema);
  const drilled = toData(data ?? "", cwd);
  const text = initScenarioText({ name, data: drilled, tools, schemaRef, drdrill, file: scenarioFile });
  const written: string[] = [];
  try {
    await mkdir(join(cwd, "scenarios"), { recursive: true });
    await writeFile(join(cwd, scenarioFile), text, { flag: "wx" });
    written.push(scenarioFile);
    // What was written must load as the user will load it: a problem found here is drdrill's, not theirs.
    const { loadScenarios } = await import("../scenario/load.ts");
    await loadScenarios([join(cwd, scenarioFile)]);
    if (ciFile) {
      await mkdir(dirname(join(cwd, ciFile.file)), { recursive: true });
      const template = await readFile(packagePath("ci", "templates", ciFile.template), "utf8");
      await writeFile(join(cwd, ciFile.file), template, { flag: "wx" });
      written.push(ciFile.file);
    }
  } catch (e) {
    await Promise.all(written.map((f) => unlink(join(cwd, f)).catch(() => {})));
    throw e;
  }

  const out = [`wrote ${scenarioFile}`];
  if (ciFile) out.push(`wrote ${ciFile.file}`);
  if (ciFile?.file.startsWith(".gitlab/"))
    out.push(`  include it from .gitlab-ci.yml: include: { local: ${ciFile.file} }`);
  // The ssh target runs the tools on its host: what this machine has says nothing about it.
  const missing = drilled.kind === "ssh" ? [] : tools.flatMap((t) => TOOL_BINARIES[t]!.filter((b) => !onPath(b)));
  if (missing.length > 0)
    out.push(
      `not on this machine: ${[...new Set(missing)].join(", ")} (Debian/Ubuntu: sudo bash ` +
        `${packagePath("ci", "setup.sh")} tools)`,
    );
  out.push(`run it:`, `  ${runCommand}`);
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}
