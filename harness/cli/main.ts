// The drdrill command line (DESIGN.md): run, validate, list, schema, report, compare, merge, history.
// Every command is declared here with its options (for --help), and its module is loaded only when it
// runs: `drdrill --version` and `--help` load commander and nothing of the harness (issue 28, "Start fast").
// Keep the imports below light (no registries, no runner, no execa, zod or handlebars).
import { Command, CommanderError } from "commander";
import { formatIssue, InputError } from "../model/errors.ts";
import { EXIT } from "../model/exit-codes.ts";
import { packageVersion } from "../util/package-root.ts";
import type { CompareCliOptions } from "./compare.ts";
import type { InitOptions } from "./init.ts";
import { DEFAULT_HISTORY_OUT, DEFAULT_MIN_CHANGE, DEFAULT_THRESHOLD } from "./option-defaults.ts";
import type { PlanCliOptions } from "./plan.ts";
import type { RunOptions } from "./run-command.ts";
import type { RunShapeOptions } from "./run-options.ts";
import { registerLabCommands } from "./lab.ts";
import { registerVmCommands } from "./vm.ts";

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("drdrill")
    .description("Disaster-recovery drills as code: back up, break, restore, verify, measure.")
    .version(packageVersion(), "-V, --version", "print drdrill's version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("run")
    .description("Run scenarios (files or folders; default scenarios/seed)")
    .argument("[scenarios...]")
    .option(
      "--target <name>",
      "where the protected system runs: local, lab, vm, ssh or ssh://user@host:port (default: the scenario's, " +
        "else local)",
    )
    .option(
      "--target-setting <TARGET.KEY=VALUE...>",
      "a target setting, over the scenario's (e.g. ssh.identityFile=~/.ssh/drill)",
    )
    .option("--tool <name...>", "only these tools")
    .option("--size <size>", "dataset size, e.g. 50MB or 3.34GB (overrides the scenario)")
    .option("--repeat <n>", "runs per scenario and tool")
    .option("--timeout <duration>", "bound on every tool call, e.g. 10m")
    .option("--out <dir>", "run folder (default drdrill-runs/<time>)")
    .option(
      "--reporter <name...>",
      "reporters: json, markdown, junit, html, console, or a module path (the file reporters always run)",
    )
    .option("--shard <i/n>", "run shard i of n (balanced by expected duration: see drdrill plan)")
    .option("--durations <results>", "a previous results.json (or run folder) whose durations balance the shards")
    .option("--keep", "keep the target's data and the backups after the run")
    .option("--replace", "--out names a finished run: replace it")
    .option("--evidence", "also write evidence-<runId>.tar.gz: results, journal, logs, scenario files, SUMMARY.md")
    .option("--warmup", "run each scenario's tools and settings once first, not counted")
    .option(
      "--jobs <n>",
      "run up to n runs at once where the target allows it (local, lab); their timings are not comparable with " +
        "serial ones",
    )
    .action(async (paths: string[], o: RunOptions) => {
      code = await (await import("./run-command.ts")).runCommand(paths, o, argv);
    });

  program
    .command("plan")
    .description(
      "Print the runs a `drdrill run` (or one --shard of it) would do, and the split into shards; runs nothing",
    )
    .argument("[scenarios...]")
    .option("--tool <name...>", "only these tools")
    .option("--repeat <n>", "runs per scenario and tool")
    .option("--size <size>", "dataset size (changes the estimate)")
    .option("--target <name>", "the target the runs would go to (changes the estimate)")
    .option("--shard <i/n>", "only shard i of n")
    .option("--shards <n>", "every run, with the shard of n it falls in")
    .option("--durations <results>", "a previous results.json (or run folder) whose durations balance the shards")
    .option("--json", "as JSON (for a CI matrix)")
    .action(async (paths: string[], o: PlanCliOptions) => {
      const { buildPlan, renderPlan } = await import("./plan.ts");
      const plan = await buildPlan(paths, o);
      process.stdout.write(o.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan));
    });

  program
    .command("init")
    .description(
      "Write a first scenario for your data (and a CI file), then print the command that runs it; never overwrites",
    )
    .option("--data <dir>", "a folder on this machine (a copy is drilled) or [user@]host:/path over ssh")
    .option("--tool <name...>", "backup tools: restic, borg, duplicity, tar-zstd (default restic)")
    .option("--ci <kind>", "also write a CI file: github, gitlab or none")
    .option("--name <name>", "the scenario's name and file name (default dr-drill)")
    .action(async (o: InitOptions) => {
      code = await (await import("./init.ts")).initCommand(o);
    });

  program
    .command("validate")
    .description(
      "Check scenario files as they would run (with --target, --tool, --size...); " +
        "report every problem with file:line:column and field",
    )
    .argument("[scenarios...]")
    .option("--target <name>", "the target the runs would go to: local, lab, vm, ssh or ssh://user@host:port")
    .option("--target-setting <TARGET.KEY=VALUE...>", "a target setting, over the scenario's")
    .option("--tool <name...>", "only these tools")
    .option("--size <size>", "dataset size (overrides the scenario)")
    .option("--repeat <n>", "runs per scenario and tool")
    .option("--timeout <duration>", "bound on every tool call")
    .action(async (paths: string[], o: RunShapeOptions) => {
      const [{ readOverrides }, { loadScenarios }] = await Promise.all([
        import("./run-options.ts"),
        import("../scenario/load.ts"),
      ]);
      const overrides = readOverrides(o);
      const loaded = await loadScenarios(paths.length > 0 ? paths : ["scenarios"], { overrides });
      process.stdout.write(`${loaded.length} scenario(s) valid: ${loaded.map((l) => l.scenario.name).join(", ")}\n`);
    });

  program
    .command("list")
    .description("List faults, tools, targets or scenarios")
    .argument("[what]", "faults | tools | targets | scenarios", "all")
    .argument("[dirs...]")
    .action(async (what: string, dirs: string[]) => {
      if (!["faults", "tools", "targets", "scenarios", "all"].includes(what))
        throw new InputError([
          (await import("./run-options.ts")).argIssue(
            "list",
            `"${what}" is not one of faults, tools, targets, scenarios`,
          ),
        ]);
      const { listCommand, listScenarios } = await import("./list-command.ts");
      code = what === "scenarios" ? await listScenarios(dirs) : listCommand(what);
    });

  program
    .command("schema")
    .description("Print the JSON Schema of scenario files")
    .action(async () => {
      const { scenarioJsonSchema } = await import("../scenario/schema.ts");
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });

  program
    .command("coverage")
    .description(
      "Archive faults x each tool's checks (light, sampled, deep, a restore): caught or missed, time, bytes read",
    )
    .option("--tool <name...>", "tools to drill (default restic borg duplicity)")
    .option("--fault <name...>", "archive faults to inject (default all)")
    .option("--size <size>", "generated dataset size (default 8MB)")
    .option("--sample <percent>", "the sampled check's share, where the tool has one (default 10%)")
    .option("--timeout <duration>", "bound on every tool call (default 60s)")
    .option("--out <dir>", "run folder (default drdrill-runs/<time>)")
    .action(async (o: import("./coverage.ts").CoverageOptions) => {
      code = await (await import("./coverage.ts")).coverageCommand(o, argv);
    });

  program
    .command("report")
    .description("Re-render the reports of a finished run folder")
    .argument("<dir>")
    .option("--evidence", "also write the run's evidence bundle (tar.gz)")
    .action(async (dir: string, o: { evidence?: boolean }) => {
      await (await import("./report-command.ts")).reportCommand(dir);
      if (o.evidence) {
        const { writeEvidenceBundle } = await import("./evidence.ts");
        process.stdout.write(
          `evidence: ${await writeEvidenceBundle(dir, { createdBy: `drdrill ${argv.join(" ")}` })}\n`,
        );
      }
    });

  program
    .command("compare")
    .description(
      "What got worse between two run folders, as Markdown (exit 1 drills failed, 4 objectives missed, 5 regression)",
    )
    .argument("<base>")
    .argument("<new>")
    .option(
      "--threshold <percent>",
      "smallest relative change that counts: 10% or time=10%,memory=20%",
      DEFAULT_THRESHOLD,
    )
    .option(
      "--min-change <amounts>",
      "smallest absolute change that counts: a duration (times, and rates through the time they stand for), " +
        "bytes=SIZE, memory=SIZE",
      DEFAULT_MIN_CHANGE,
    )
    .option("--confidence <percent>", "confidence of the Mann-Whitney U test on times, rates and memory", "99%")
    .option("--metrics <names>", "the metrics that count, e.g. rto,rpo,repoSize (default: all judged)")
    .option("--strict", "judge times, rates and memory of too few runs by the minimum effect alone")
    .option("--require-all", "a drill in only one of the two folders fails the comparison (exit 2)")
    .option("--out <file>", "also write the Markdown to this file")
    .action(async (base: string, next: string, o: CompareCliOptions) => {
      code = await (await import("./compare.ts")).compareCommand(base, next, o);
    });

  program
    .command("merge")
    .description("Merge sharded run folders into one and re-render its reports")
    .argument("<dirs...>")
    .requiredOption("--out <dir>", "the merged run folder (new)")
    .action(async (dirs: string[], o: { out: string }) => {
      code = await (await import("./merge.ts")).mergeCommand(dirs, o.out, argv);
    });

  program
    .command("history")
    .description("Each scenario's runs over time from run folders (or folders of them): tables and an HTML chart")
    .argument("<dirs...>")
    .option("--out <file>", "the HTML page to write", DEFAULT_HISTORY_OUT)
    .action(async (dirs: string[], o: { out: string }) => {
      code = await (await import("./history.ts")).historyCommand(dirs, o);
    });

  program
    .command("clean")
    .description(
      "Remove what a drdrill killed hard left behind: load writers, tmpfs mounts, containers, firewall tables, VMs",
    )
    .action(async () => {
      const { removed, ignored } = await (await import("./clean.ts")).cleanLeftovers();
      for (const text of ignored) process.stderr.write(`drdrill: ${text}\n`);
      process.stdout.write(
        removed.length > 0 ? `removed:\n${removed.map((r) => `  ${r}`).join("\n")}\n` : "nothing left behind\n",
      );
    });

  registerLabCommands(program, (c) => (code = c));
  registerVmCommands(program, (c) => (code = c));

  // A command that stops waiting on nothing (a promise no process or timer will settle) would end
  // with exit 0 and no word: say so instead, as the internal error it is.
  const stalled = () => {
    process.stderr.write(
      "drdrill: internal error: the command stopped with work still pending (nothing left that could finish it)\n",
    );
    process.exit(EXIT.environment);
  };
  process.once("beforeExit", stalled);
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof InputError) {
      for (const i of e.issues) process.stderr.write(`${formatIssue(i)}\n`);
      process.stderr.write(`drdrill: ${e.issues.length} problem(s) in the input; nothing was run.\n`);
      return EXIT.input;
    }
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.input;
    }
    process.stderr.write(`drdrill: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.environment;
  } finally {
    process.off("beforeExit", stalled);
  }
}
