// The root Dockerfile's image as a CI runner uses it: built (test/helpers/root-image.ts: a local Node 20
// base, the host's Debian mirror), then `docker run --rm -v DIR:/work IMAGE run scenarios/seed/...` runs the
// seed drill as root with the tools inside it and writes its run folder into the mounted folder. Its
// containers carry a label of this test process and are removed by it, whatever happens.
import { execa } from "execa";
import { cpSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker } from "../../harness/images/docker.ts";
import { ROOT, readJson } from "../helpers/cli.ts";
import { buildRootImage, TEST_LABEL } from "../helpers/root-image.ts";
import { tmp } from "../helpers/tmp.ts";

/** What the drills call, from Debian's packages (ci/setup.sh tools installs the same on a host), and the CI gate. */
const TOOLS = [
  "duplicity",
  "restic",
  "borg",
  "zstd",
  "tar",
  "gpg",
  "lsyncd",
  "rsync",
  "ssh",
  "nft",
  "setfattr",
  "python3",
  "curl",
  "drdrill-gate",
];
const LABEL = `${TEST_LABEL}=image-${process.pid}`;
let image = "";

function run(args: string[], mount?: string) {
  return execa(
    "docker",
    ["run", "--rm", "--label", LABEL, ...(mount ? ["-v", `${mount}:/work`] : []), image, ...args],
    { reject: false, all: true, stdin: "ignore", timeout: 600_000 },
  );
}

async function removeOurContainers(): Promise<void> {
  const ids = (await docker(["ps", "-aq", "--filter", `label=${LABEL}`])).stdout.split("\n").filter(Boolean);
  if (ids.length > 0) await docker(["rm", "-f", ...ids]);
}

describe("the root image (Dockerfile)", () => {
  beforeAll(async () => {
    const built = await buildRootImage();
    image = built.image;
    process.stderr.write(`root image: built in ${(built.buildMs / 1000).toFixed(1)} s\n`);
  }, 1_800_000);
  afterAll(removeOurContainers);

  it("is drdrill, at this package's version, with the tools it drives", async () => {
    const version = await run(["--version"]);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    const tools = await run(["list", "tools"]);
    expect(tools.exitCode).toBe(0);
    const inside = await execa(
      "docker",
      [
        "run",
        "--rm",
        "--label",
        LABEL,
        "--entrypoint",
        "sh",
        image,
        "-c",
        `id -u; for b in ${TOOLS.join(" ")}; do command -v "$b" >/dev/null || echo "missing $b"; done`,
      ],
      { reject: false },
    );
    expect(inside.exitCode).toBe(0);
    // as root, every tool there
    expect(inside.stdout.trim()).toBe("0");
  });

  it("runs the seed drill in the mounted folder, as root: restic and tar+zstd recover", async () => {
    const work = await tmp("drdrill-image-");
    cpSync(join(ROOT, "scenarios/seed"), join(work, "scenarios/seed"), { recursive: true });
    const r = await run(
      ["run", "scenarios/seed/seed-drill.yaml", "--tool", "restic", "tar-zstd", "--size", "4MB", "--out", "run"],
      work,
    );
    expect(r.exitCode, r.all).toBe(0);
    const results = await readJson(join(work, "run/results.json"));
    expect(results.results.map((x: any) => [x.tool, x.outcome, x.passed])).toEqual([
      ["restic", "recovered", true],
      ["tar-zstd", "recovered", true],
    ]);
    expect(results.environment.tools.restic).toMatch(/\d+\.\d+/);
    expect(results.environment.drdrill).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    expect(statSync(join(work, "run/report.md")).uid).toBe(0);
    expect((await docker(["ps", "-aq", "--filter", `label=${LABEL}`])).stdout.trim()).toBe("");
  });
});
