// A built-in tool's `args:` reach the real tool (issue 25, point 3): each flag's effect is seen where a
// user would look (duplicity's volumes, restic's snapshots, borg's archive info, tar's volume label).
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { LocalExecutor } from "../../harness/exec/local-executor.ts";
import { generateDataset } from "../../harness/targets/local/generator.ts";
import { TOOLS } from "../../harness/tools/registry.ts";
import type { ToolSession } from "../../harness/tools/tool.ts";
import { SecretStore } from "../../harness/util/secrets.ts";
import { tmp } from "../helpers/tmp.ts";

const run = promisify(execFile);
const PASSPHRASE = "drdrill-marker-passphrase-tool-args-9d2f";

async function session(tool: string, settings: Record<string, unknown>, root: string): Promise<ToolSession> {
  const adapter = TOOLS[tool]!;
  for (const d of ["repo", "work", "logs"]) await mkdir(join(root, d), { recursive: true });
  return adapter.open(adapter.settings.parse(settings), {
    exec: new LocalExecutor(join(root, "logs"), new SecretStore()),
    repoDir: join(root, "repo"),
    workDir: join(root, "work"),
    scenarioDir: root,
    putFile: () => Promise.reject(new Error("no tool here puts files")),
    passphrase: () => PASSPHRASE,
    timeoutMs: 120_000,
  });
}

/** Backs up 3 MB plus a marker, restores it, and checks the marker came back; returns the two runs' output. */
async function roundTrip(tool: string, settings: Record<string, unknown>) {
  const root = await tmp("tool-args-");
  const src = join(root, "src");
  await generateDataset(src, 3_000_000, 11);
  await writeFile(join(src, "marker.txt"), "args\n");
  const s = await session(tool, settings, root);
  const init = await s.init();
  expect(init?.failed ?? false, init?.stderr).toBe(false);
  const backup = await s.backup("full", src);
  expect(backup.failed, backup.stderr).toBe(false);
  const dest = join(root, "restored");
  await mkdir(dest);
  const restore = await s.restore(dest);
  expect(restore.failed, restore.stderr).toBe(false);
  expect(await readFile(join(dest, "marker.txt"), "utf8")).toBe("args\n");
  return { root, repo: join(root, "repo"), backup, restore, session: s };
}

describe("args reach the real tools", () => {
  it("duplicity: --volsize 1 after drdrill's own --volsize 200 cuts the 3 MB into several volumes", async () => {
    const { repo } = await roundTrip("duplicity", { encryption: "none", args: { backup: ["--volsize", "1"] } });
    const volumes = (await readdir(repo)).filter((f) => /\.vol\d+\.difftar/.test(f));
    expect(volumes.length).toBeGreaterThanOrEqual(3);
  });

  it("restic: --tag drill is on the snapshot restic snapshots lists; --verbose on restore", async () => {
    const { session: s, restore } = await roundTrip("restic", {
      args: { backup: ["--tag", "drill"], restore: ["--verbose"] },
    });
    const list = await s.list();
    expect(list.stdout).toMatch(/full,drill|drill,full/);
    expect(restore.stdout).toMatch(/restoring/i);
  });

  it("borg: --comment is the archive's comment in borg info", async () => {
    const { repo, root, backup } = await roundTrip("borg", {
      encryption: "none",
      args: { backup: ["--comment", "drill comment"] },
    });
    const env = {
      ...process.env,
      BORG_BASE_DIR: join(root, "work", "borg"),
      BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: "yes",
    };
    const { stdout } = await run("borg", ["info", "--json", `${repo}::${backup.backupId}`], { env });
    expect(JSON.parse(stdout).archives[0].comment).toBe("drill comment");
  });

  it("tar-zstd: --label is the archive's volume label; --verbose on restore lists the files", async () => {
    const { repo, restore } = await roundTrip("tar-zstd", {
      args: { backup: ["--label=drill-label"], restore: ["--verbose"] },
    });
    const archive = (await readdir(repo)).find((f) => f.endsWith(".tar.zst"))!;
    const { stdout } = await run("bash", [
      "-c",
      'zstd -dcq -- "$1" | tar --test-label -f -',
      "label",
      join(repo, archive),
    ]);
    expect(stdout.trim()).toBe("drill-label");
    expect(restore.stdout).toContain("marker.txt");
  });
});
