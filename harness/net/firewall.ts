// Network faults between a target and a secondary site, made with the kernel's packet filter
// (nftables) in the site's own network namespace: a partition (every packet dropped), packet loss
// (a random share dropped), a bandwidth cap (bytes over a rate dropped). Each fault is one table of
// its own, removed when the fault ends (and with the site's namespace, whatever happens). drdrill's
// admin port stays open, so it can still measure and clean up during a partition.
import { execa } from "execa";
import { EnvironmentError } from "../model/errors.ts";

export type NetRule =
  { kind: "partition" } | { kind: "loss"; percent: number } | { kind: "bandwidth"; bytesPerSecond: number };

let counter = 0;

function ruleLine(r: NetRule): string {
  switch (r.kind) {
    case "partition":
      return "drop";
    case "loss":
      return `numgen random mod 100 < ${Math.round(r.percent)} drop`;
    case "bandwidth": {
      const rate = Math.max(1, Math.round(r.bytesPerSecond));
      return `limit rate over ${rate} bytes/second burst ${Math.max(1500, Math.round(rate / 10))} bytes drop`;
    }
  }
}

export function describeRule(r: NetRule): string {
  return r.kind === "partition"
    ? "partition (every packet dropped)"
    : r.kind === "loss"
      ? `${r.percent} % packet loss`
      : `bandwidth capped at ${r.bytesPerSecond} bytes/s`;
}

/** The nft script of one rule (both directions, loopback and the admin port left alone). */
export function ruleTable(name: string, r: NetRule, adminPort: number): string {
  const line = ruleLine(r);
  return [
    `table inet ${name} {`,
    "  chain in {",
    "    type filter hook input priority -10; policy accept;",
    '    iif "lo" accept',
    `    tcp dport ${adminPort} accept`,
    `    ${line}`,
    "  }",
    "  chain out {",
    "    type filter hook output priority -10; policy accept;",
    '    oif "lo" accept',
    `    tcp sport ${adminPort} accept`,
    `    ${line}`,
    "  }",
    "}",
    "",
  ].join("\n");
}

export class SiteFirewall {
  readonly #tables = new Set<string>();

  /** `pid`: a process in the site's network namespace (the container's init, as this machine sees it). */
  constructor(
    private readonly pid: number,
    private readonly prefix: string,
    private readonly adminPort: number,
  ) {}

  async #nft(args: string[], input?: string): Promise<{ exitCode: number; stderr: string; stdout: string }> {
    const r = await execa("nsenter", ["-t", String(this.pid), "-n", "nft", ...args], {
      reject: false,
      ...(input !== undefined ? { input } : {}),
    });
    if ((r as { code?: string }).code === "ENOENT")
      throw new EnvironmentError(
        "network faults need nsenter (util-linux) and nft (Debian's nftables package): bash ci/setup.sh docker " +
          "installs them",
      );
    return { exitCode: r.exitCode ?? 1, stderr: String(r.stderr), stdout: String(r.stdout) };
  }

  /** Adds one rule; returns how to take it away again. */
  async apply(rule: NetRule): Promise<{ table: string; remove(): Promise<void> }> {
    const table = `${this.prefix}_${++counter}`;
    const r = await this.#nft(["-f", "-"], ruleTable(table, rule, this.adminPort));
    if (r.exitCode !== 0)
      throw new EnvironmentError(
        `nft could not add ${describeRule(rule)} in the site's network namespace: ${r.stderr.trim()}`,
      );
    this.#tables.add(table);
    return {
      table,
      remove: async () => {
        if (!this.#tables.delete(table)) return;
        await this.#nft(["delete", "table", "inet", table]);
      },
    };
  }

  async clear(): Promise<void> {
    for (const t of [...this.#tables]) {
      this.#tables.delete(t);
      await this.#nft(["delete", "table", "inet", t]);
    }
  }

  /** The whole rule set in the namespace (a test checks nothing is left). */
  async ruleset(): Promise<string> {
    return (await this.#nft(["list", "ruleset"])).stdout;
  }

  /** Why added latency cannot be made here, or null when the kernel can (its netem queueing discipline). */
  async latencyUnsupported(): Promise<string | null> {
    const r = await execa(
      "nsenter",
      ["-t", String(this.pid), "-n", "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"],
      { reject: false },
    );
    if (r.exitCode === 0) {
      await execa("nsenter", ["-t", String(this.pid), "-n", "tc", "qdisc", "del", "dev", "lo", "root"], {
        reject: false,
      });
      return null;
    }
    return (
      `added latency needs the kernel's netem queueing discipline (sch_netem), which this kernel does not have ` +
      `(tc: ${String(r.stderr).trim() || `exit ${r.exitCode}`})`
    );
  }

  /** Adds latency with netem (only where latencyUnsupported() said null). */
  async addLatency(ms: number): Promise<{ remove(): Promise<void> }> {
    const r = await execa(
      "nsenter",
      ["-t", String(this.pid), "-n", "tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay", `${ms}ms`],
      { reject: false },
    );
    if (r.exitCode !== 0) throw new EnvironmentError(`tc netem failed: ${String(r.stderr).trim()}`);
    return {
      remove: async () =>
        void (await execa("nsenter", ["-t", String(this.pid), "-n", "tc", "qdisc", "del", "dev", "eth0", "root"], {
          reject: false,
        })),
    };
  }
}
