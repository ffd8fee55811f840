// The ssh target against a plain sshd host (a container of drdrill's sshd image) that holds nothing
// but what drdrill puts there: the local fault scenarios end with the outcomes they have locally,
// the passphrase never shows on the host's command lines, Ctrl-C leaves nothing running there,
// a data directory of "/" or /etc is refused before anything connects, one whose path runs through a
// symlink on the host is refused there before anything is touched, and a symlink planted on its path
// later is never followed; `sandbox: clone` drills a copy and leaves production byte-identical.
import { execa } from "execa";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSshdImage } from "../../harness/images/sshd/build.ts";
import { startSshdContainer, type SshdHost } from "../../harness/images/sshd/container.ts";
import { sweepLeftovers } from "../../harness/runner/sweep-leftovers.ts";
import { allFiles, drdrill, journalHas, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const MARKER = "drdrill-marker-passphrase-ssh-5c1e";
let host: SshdHost;
let hostDir: string;
let target: string[];

beforeAll(async () => {
  await buildSshdImage();
  // Not the per-test tmp(): the host's key files must outlive each test.
  hostDir = await mkdtemp(join(tmpdir(), "drdrill-ssh-target-"));
  const dir = hostDir;
  host = await startSshdContainer({ runDir: dir, user: "drill", capabilities: ["SYS_ADMIN"] });
  target = [
    "--target",
    `ssh://drill@${host.host}:${host.port}`,
    "--target-setting",
    `ssh.identityFile=${host.identityFile}`,
    "--target-setting",
    `ssh.knownHostsFile=${host.knownHostsFile}`,
  ];
}, 600_000);

afterAll(async () => {
  await host?.remove();
  await rm(hostDir, { recursive: true, force: true });
});

const onHost = (script: string) => execa("docker", ["exec", host.containerName, "sh", "-c", script], { reject: false });

describe("the ssh target", () => {
  it("runs the local fault scenarios with the outcomes they have locally; leaves the host as it found it", async () => {
    const out = join(await tmp(), "run");
    const r = await drdrill(["run", "scenarios/faults", ...target, "--out", out], { timeoutMs: 1_500_000 });
    const results = await readJson(join(out, "results.json"));
    const failed = results.results
      .filter((x: any) => !x.passed)
      .map((x: any) => `${x.scenario}: ${x.outcome} (${x.reason})`);
    expect(failed, r.all.slice(-3000)).toEqual([]);
    expect(r.exitCode).toBe(0);
    // every fault scenario's runs, as `drdrill plan` counts them for the local target
    const planned = JSON.parse((await drdrill(["plan", "scenarios/faults", "--json"])).stdout).runs.length;
    expect(planned).toBeGreaterThanOrEqual(14);
    expect(results.results).toHaveLength(planned);
    expect(results.environment.target).toMatchObject({
      kind: "ssh",
      sudo: "yes (sudo -n)",
      dataDir: "/var/snap/microstack/common",
    });
    // the tools ran on the host (their logs are here; the commands ran there)
    expect(results.results[0].toolCalls[0].command).not.toMatch(/^docker/);
    const left = await onHost(
      "ps -eo args | grep -c '[d]rdrill-agent\\|[d]uplicity'; ls -A /var/tmp/drdrill; ls -A " +
        "/var/snap/microstack/common",
    );
    expect(left.stdout.trim()).toBe("0");
  }, 1_600_000);

  it("the passphrase appears on no command line of the host, in no file of the run and in no output", async () => {
    const out = join(await tmp(), "run");
    let sampling = true;
    const seen: string[] = [];
    const sampler = (async () => {
      while (sampling) {
        const ps = await onHost("ps -eo args");
        if (ps.stdout.includes(MARKER)) seen.push(ps.stdout);
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    const r = await drdrill(
      [
        "run",
        "scenarios/seed/seed-drill.yaml",
        "--tool",
        "duplicity",
        "restic",
        "borg",
        "--size",
        "6MB",
        ...target,
        "--out",
        out,
      ],
      { env: { DRDRILL_PASSPHRASE: MARKER } },
    );
    sampling = false;
    await sampler;
    expect(r.exitCode, r.all).toBe(0);
    expect(seen).toEqual([]);
    for (const f of await allFiles(out)) expect(await readFile(f, "utf8"), f).not.toContain(MARKER);
    expect(r.all).not.toContain(MARKER);
  });

  it("Ctrl-C mid-backup: exit 130, and nothing of the run keeps running on the host", async () => {
    const out = join(await tmp(), "run");
    const child = drdrill([
      "run",
      "scenarios/seed/seed-drill.yaml",
      "--tool",
      "duplicity",
      "--size",
      "40MB",
      ...target,
      "--out",
      out,
    ]);
    for (let i = 0; i < 3000; i++) {
      if ((await onHost("pgrep -f '[d]uplicity full'")).exitCode === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect((await onHost("pgrep -f '[d]uplicity full'")).exitCode).toBe(0);
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode).toBe(130);
    const left = await onHost("ps -eo args | grep -E '[d]uplicity|[g]pg --|[d]rdrill-agent' || true");
    expect(left.stdout.trim()).toBe("");
  });

  it("a tool missing on the host is named with its install command (exit 3)", async () => {
    await onHost("mv /usr/bin/restic /usr/bin/restic.away");
    try {
      const r = await drdrill([
        "run",
        "scenarios/seed/seed-drill.yaml",
        "--tool",
        "restic",
        "--size",
        "2MB",
        ...target,
        "--out",
        join(await tmp(), "run"),
      ]);
      expect(r.exitCode).toBe(3);
      expect(r.all).toMatch(/restic needs restic on ssh drill@[\d.]+:22; install it there: apt-get install restic/);
    } finally {
      await onHost("mv /usr/bin/restic.away /usr/bin/restic");
    }
  });

  it("a data directory reached through a symlink (/srv/drill/link -> /etc) is refused on the host", async () => {
    await onHost(
      "mkdir -p /srv/drill /etc/victimdir && echo canary > /etc/victimdir/keep && ln -sfn /etc /srv/drill/link",
    );
    try {
      const dir = await tmp();
      const file = join(dir, "link.yaml");
      // Its text passes every check at validation: not a system folder, inside allowDataDirs.
      await writeFile(
        file,
        [
          "name: through-a-link",
          "targetSettings:",
          "  ssh: { dataDir: /srv/drill/link/victimdir, allowDataDirs: [/srv/drill], services: none, seed: existing }",
          "tools: [tar-zstd]",
          "steps: [{ backup: full }, { fault: { delete-path: { path: . } } }, { restore: latest }]",
          "",
        ].join("\n"),
      );
      const r = await drdrill(["run", file, ...target, "--out", join(dir, "run")]);
      expect(r.exitCode, r.all).toBe(3);
      expect(r.all).toMatch(
        new RegExp(
          'dataDir: "/srv/drill/link/victimdir" on .* runs through the symlink /srv/drill/link -> /etc: ' +
            'there it is "/etc/victimdir", and "/etc/victimdir" is inside the system folder /etc',
        ),
      );
      expect((await onHost("cat /etc/victimdir/keep && ls -A /etc/victimdir")).stdout).toBe("canary\nkeep");
      // and the run's folder on the host is gone with the connection
      expect((await onHost("ls -A /var/tmp/drdrill")).stdout.trim()).toBe("");
    } finally {
      await onHost("rm -rf /etc/victimdir /srv/drill");
    }
  });

  it("a symlink planted on the data directory's path after the check is not followed: nothing touched", async () => {
    await onHost(
      "mkdir -p /srv/drill/d/victim /etc/victim && echo data > /srv/drill/d/victim/own.txt && " +
        "echo canary > /etc/victim/keep",
    );
    try {
      const dir = await tmp();
      const file = join(dir, "planted.yaml");
      await writeFile(
        file,
        [
          "name: link-planted-later",
          "targetSettings:",
          "  ssh: { dataDir: /srv/drill/d/victim, allowDataDirs: [/srv/drill], services: none, seed: existing }",
          "tools: [tar-zstd]",
          "steps: [{ backup: full }, { wait: 3s }, { fault: { delete-path: { path: . } } }, { restore: latest }]",
          "",
        ].join("\n"),
      );
      const out = join(dir, "run");
      const run = drdrill(["run", file, ...target, "--out", out]);
      await journalHas(out, '"type":"phase-end","phase":"backup"');
      // Passed every check, backed up: now /srv/drill/d leads to /etc, and d/victim to /etc/victim.
      await onHost("mv /srv/drill/d /srv/drill/d.real && ln -s /etc /srv/drill/d");
      const r = await run;
      expect((await onHost("cat /etc/victim/keep; ls -A /etc/victim")).stdout).toBe("canary\nkeep");
      expect((await onHost("cat /srv/drill/d.real/victim/own.txt")).stdout).toBe("data");
      expect(r.exitCode, r.all).not.toBe(0);
      const run0 = (await readJson(join(out, "results.json"))).results[0];
      // The drill stops at the fault, saying where the link is (the canaries above: nothing followed it).
      expect(run0.outcome).toBe("error");
      expect(run0.error).toMatch(
        /\/srv\/drill\/d\/victim: "\/srv\/drill\/d" is a symlink or not a directory; not followed/,
      );
    } finally {
      await onHost("rm -rf /etc/victim /srv/drill");
    }
  });

  it("the seed's runbook as scripts recovers on the host; the passphrase is on no command line", async () => {
    const out = join(await tmp(), "run");
    let sampling = true;
    const seen: string[] = [];
    let ran = false;
    const sampler = (async () => {
      while (sampling) {
        const ps = await onHost("ps -eo args");
        if (ps.stdout.includes(MARKER)) seen.push(ps.stdout);
        if (ps.stdout.includes("cmd-dr_")) ran = true;
        await new Promise((res) => setTimeout(res, 200));
      }
    })();
    const r = await drdrill(["run", "scenarios/procedures/runbook.yaml", "--size", "2MB", ...target, "--out", out], {
      env: { DRDRILL_PASSPHRASE: MARKER },
    });
    sampling = false;
    await sampler;
    expect(r.exitCode, r.all).toBe(0);
    const result = (await readJson(join(out, "results.json"))).results[0];
    expect(result).toMatchObject({ tool: "command", outcome: "recovered", passed: true });
    expect(result.checks).toMatchObject([{ command: "./dr/smoke.sh", ok: true, exitCode: 0 }]);
    // the scripts ran on the host, not here
    expect(ran, "a runbook script was seen running on the host").toBe(true);
    expect(seen).toEqual([]);
    for (const f of await allFiles(out)) expect(await readFile(f, "utf8"), f).not.toContain(MARKER);
    const left = await onHost("ps -eo args | grep -c '[d]uplicity\\|[c]md-dr_'; ls -A /var/tmp/drdrill");
    expect(left.stdout.trim()).toBe("0");
  });

  it("a host key that is not the pinned one is refused, clearly and at once", async () => {
    const dir = await tmp();
    const wrong = join(dir, "known_hosts");
    await writeFile(
      wrong,
      (await readFile(host.knownHostsFile, "utf8")).replace(
        /AAAA\S+/,
        "AAAAC3NzaC1lZDI1NTE5AAAAIBKiPAlTnSMiZmYW5YK8ZmB3eCq4F8b3s7aH2y1m0Jx0",
      ),
    );
    const t = target.map((a) =>
      a === `ssh.knownHostsFile=${host.knownHostsFile}` ? `ssh.knownHostsFile=${wrong}` : a,
    );
    const started = Date.now();
    const r = await drdrill([
      "run",
      "scenarios/seed/seed-drill.yaml",
      "--tool",
      "restic",
      "--size",
      "2MB",
      ...t,
      "--out",
      join(dir, "run"),
    ]);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.exitCode).toBe(3);
    expect(r.all).toMatch(/host key/i);
  });
});

describe("data directories a drill must never touch", () => {
  for (const dataDir of ["/", "/etc", "/usr/lib", "/home"]) {
    it(`${dataDir} is refused with exit 2, and nothing connects`, async () => {
      const dir = await tmp();
      const file = join(dir, "s.yaml");
      // 192.0.2.1 is TEST-NET-1: nothing answers there, so a connection attempt would hang, not pass.
      await writeFile(
        file,
        `name: never\ntarget: ssh\ntargetSettings: { ssh: { host: 192.0.2.1, dataDir: "${dataDir}" } }\ntools: ` +
          `[restic]\nsteps: [{ backup: full }]\n`,
      );
      const started = Date.now();
      const r = await drdrill(["run", file, "--out", join(dir, "run")]);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/s\.yaml:3:\d+: targetSettings\.ssh\.dataDir: /);
      await expect(stat(join(dir, "run"))).rejects.toThrow();
    });
  }
});

describe("sandbox: clone drills a copy of a live host's data", () => {
  const PROD = "/srv/prod/data";
  // Every entry of production as the host sees it: type, size, mode, owner, mtime, ctime, link; and each file's hash.
  const snapshot = async () =>
    (
      await onHost(
        `cd ${PROD} && find . -printf '%p|%y|%s|%m|%U|%G|%T@|%C@|%l\\n' | sort && ` +
          "find . -type f -exec sha256sum {} + | sort",
      )
    ).stdout;
  const scenarioFile = async (name: string, steps: string) => {
    const dir = await tmp();
    const file = join(dir, `${name}.yaml`);
    await writeFile(
      file,
      `name: ${name}\ntargetSettings:\n  ssh: { dataDir: ${PROD}, sandbox: clone, services: none }\n` +
        `tools: [tar-zstd]\nsteps: ${steps}\n`,
    );
    return { file, out: join(dir, "run") };
  };

  beforeAll(async () => {
    const made = await onHost(
      `set -e; d=${PROD}; mkdir -p $d/etc $d/lib/db; printf 'alpha\\n' >$d/etc/a.conf; chmod 640 $d/etc/a.conf; ` +
        `head -c 300000 /dev/urandom >$d/lib/db/table.ibd; ln -s ../etc/a.conf $d/lib/link; ` +
        `touch -h -d '2020-01-02 03:04:05' $d/etc/a.conf $d/lib/db/table.ibd $d/lib/link`,
    );
    expect(made.exitCode, made.stderr).toBe(0);
  });
  afterAll(async () => {
    await onHost("rm -rf /srv/prod");
  });

  it("a deleted data directory is recovered on the clone; production stays byte-identical; digests shown", async () => {
    const before = await snapshot();
    const { file, out } = await scenarioFile(
      "clone-drill",
      "[{ backup: full }, { fault: { delete-path: { path: . } } }, { restore: latest }, { verify: [files] }]",
    );
    const r = await drdrill(["run", file, ...target, "--out", out]);
    expect(r.exitCode, r.all).toBe(0);
    const run0 = (await readJson(join(out, "results.json"))).results[0];
    expect(run0.outcome).toBe("recovered");
    expect(run0.verification).toMatchObject({ mismatchCount: 0 });
    expect(run0.verification.filesChecked).toBeGreaterThanOrEqual(2);
    const sb = run0.sandbox;
    expect(sb).toMatchObject({ mode: "clone", production: PROD, untouched: true });
    expect(sb.clone).toMatch(/^\/srv\/prod\/\.data\.drdrill-sandbox-[\w.-]+\/data$/);
    expect(["reflink", "copy"]).toContain(sb.method);
    expect(sb.digestBefore).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(sb.digestAfter).toBe(sb.digestBefore);
    expect(await readFile(join(out, "report.md"), "utf8")).toContain(
      `production's digest before \`${sb.digestBefore}\`, after \`${sb.digestBefore}\`: **untouched**.`,
    );
    // Production: every byte, mode, mtime and ctime as it was; no clone, staging or run folder left.
    expect(await snapshot()).toBe(before);
    expect((await onHost("ls -A /srv/prod; ls -A /var/tmp/drdrill")).stdout.trim()).toBe("data");
  });

  it("production changed by someone else during the drill: the run fails, naming what changed", async () => {
    const { file, out } = await scenarioFile(
      "clone-changed",
      "[{ backup: full }, { wait: 4s }, { fault: { delete-path: { path: . } } }, { restore: latest }]",
    );
    const run = drdrill(["run", file, ...target, "--out", out]);
    await journalHas(out, '"type":"phase-end","phase":"backup"');
    await onHost(`echo more >>${PROD}/etc/a.conf`);
    const r = await run;
    expect(r.exitCode, r.all).toBe(1);
    const run0 = (await readJson(join(out, "results.json"))).results[0];
    expect(run0.outcome).toBe("failed");
    expect(run0.sandbox.untouched).toBe(false);
    expect(run0.sandbox.changes).toEqual(["etc/a.conf: size, mtimeNs, content changed"]);
    expect(run0.reason).toContain(`production's data directory ${PROD} changed during the drill`);
    expect((await onHost("ls -A /srv/prod")).stdout.trim()).toBe("data");
  });

  it("a drdrill killed hard leaves its clone on the host; the sweep of its leases removes it", async () => {
    const leases = await tmp();
    const { file, out } = await scenarioFile(
      "clone-killed",
      "[{ backup: full }, { fault: { delete-path: { path: . } } }, { restore: latest }]",
    );
    const child = drdrill(["run", file, ...target, "--out", out], { env: { DRDRILL_LEASE_DIR: leases } });
    await journalHas(out, '"type":"sandbox"');
    child.kill("SIGKILL");
    await child;
    expect((await onHost("ls -A /srv/prod")).stdout).toMatch(/^\.data\.drdrill-sandbox-/m);
    const saved = process.env.DRDRILL_LEASE_DIR;
    process.env.DRDRILL_LEASE_DIR = leases;
    try {
      // What `drdrill clean` runs first (it then removes lab and sshd containers whose owner is gone).
      const { removed } = await sweepLeftovers();
      expect(removed.join("\n")).toMatch(/the sandbox clone of \/srv\/prod\/data on ssh .*\(remote-tree \/srv\/prod\//);
    } finally {
      if (saved === undefined) delete process.env.DRDRILL_LEASE_DIR;
      else process.env.DRDRILL_LEASE_DIR = saved;
      // The run's folder in /var/tmp/drdrill is not leased (not the sandbox's): removed here for the tests after.
      await onHost("rm -rf /var/tmp/drdrill/*");
    }
    expect((await onHost("ls -A /srv/prod")).stdout.trim()).toBe("data");
  });
});
