// The layout of a MicroStack-shaped data directory ($SNAP_COMMON) of a given size, decided by a seed.
import { createRng, intBetween, pick } from "../../util/prng.ts";
import type { ContentKind } from "./content.ts";

export type Mix = Partial<Record<ContentKind, number>>;

export type PlanEntry =
  | { kind: "dir"; rel: string; mode: number }
  | { kind: "file"; rel: string; size: number; mix: Mix; mode: number; owner?: [number, number]; xattr?: string }
  | { kind: "symlink"; rel: string; target: string }
  | { kind: "hardlink"; rel: string; target: string }
  | { kind: "fifo"; rel: string; mode: number };

export interface DatasetPlan {
  entries: PlanEntry[];
  /** Seconds since the epoch (fractional) per path, applied after everything is written. */
  mtimes: Map<string, number>;
  totalBytes: number;
}

const MYSQL: [number, number] = [105, 110];
const RABBIT: [number, number] = [107, 112];
const GLANCE: [number, number] = [64062, 64062];
const SERVICES = ["keystone", "glance", "nova", "neutron", "placement", "cinder", "horizon", "cluster"];
const BASE_T = 1_700_000_000;

function uuid(rng: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(v)));
}

/** Splits `total` bytes into `n` positive parts with random weights. */
function split(rng: () => number, total: number, n: number): number[] {
  const w = Array.from({ length: n }, () => 0.2 + rng());
  const sum = w.reduce((a, b) => a + b, 0);
  const parts = w.map((x) => Math.floor((total * x) / sum));
  parts[0]! += total - parts.reduce((a, b) => a + b, 0);
  return parts;
}

export function planDataset(sizeBytes: number, seed: number): DatasetPlan {
  const rng = createRng(`drdrill-dataset-${seed}`);
  const entries: PlanEntry[] = [];
  const dir = (rel: string, mode = 0o755) => entries.push({ kind: "dir", rel, mode });
  const file = (rel: string, size: number, mix: Mix, mode = 0o644, owner?: [number, number], xattr?: string) =>
    entries.push({
      kind: "file",
      rel,
      size: Math.max(0, Math.floor(size)),
      mix,
      mode,
      ...(owner ? { owner } : {}),
      ...(xattr ? { xattr } : {}),
    });
  const TEXT: Mix = { text: 1 };

  // etc/: rendered service configuration, like MicroStack's templates.
  dir("etc");
  for (const svc of SERVICES) {
    dir(`etc/${svc}`);
    dir(`etc/${svc}/${svc}.conf.d`);
    for (let i = 0; i < intBetween(rng, 3, 7); i++)
      file(
        `etc/${svc}/${svc}.conf.d/${String(i * 10).padStart(2, "0")}-` +
          `${pick(rng, ["database", "keystone", "rabbitmq", "logging", "paths", "workers"])}-${i}.conf`,
        intBetween(rng, 300, 6000),
        TEXT,
        0o640,
      );
    dir(`etc/${svc}/uwsgi`);
    file(`etc/${svc}/uwsgi/snap`, intBetween(rng, 200, 900), TEXT);
    entries.push({ kind: "symlink", rel: `etc/${svc}/${svc}.conf`, target: `${svc}.conf.d` });
  }
  dir("etc/mysql");
  file("etc/mysql/my.cnf", 1800, TEXT, 0o644);
  dir("etc/rabbitmq");
  file("etc/rabbitmq/rabbitmq.config", 700, TEXT, 0o644);
  dir("etc/ssl", 0o755);
  dir("etc/ssl/private", 0o700);
  file("etc/ssl/private/cluster.key", 1704, { random: 1 }, 0o600);
  dir("etc/ssl/certs");
  file("etc/ssl/certs/cluster.crt", 1200, TEXT);
  file("etc/microstack.rc", 420, TEXT, 0o600);
  file("etc/microstack.json", 2400, TEXT, 0o644);
  file("etc/glance/métadonnées ñ (copie).conf", 512, TEXT, 0o644);
  entries.push({ kind: "symlink", rel: "etc/dangling-link", target: "../lib/does-not-exist" });

  // Keys: small, private, and exactly what a token check after restore depends on.
  dir("fernet-keys", 0o700);
  for (const k of ["0", "1", "2"]) file(`fernet-keys/${k}`, 44, { random: 1 }, 0o600);
  dir("credential-keys", 0o700);
  for (const k of ["0", "1"]) file(`credential-keys/${k}`, 44, { random: 1 }, 0o600);

  // Fixed small parts are done; the rest is shared by the big ones.
  const fixed = entries.reduce((s, e) => s + (e.kind === "file" ? e.size : 0), 0);
  const budget = Math.max(0, sizeBytes - fixed);

  dir("lib");
  dir("lib/mysql", 0o750);
  file("lib/mysql/ibdata1", budget * 0.12, { low: 60, zero: 20, random: 10, text: 10 }, 0o660, MYSQL);
  file("lib/mysql/ib_logfile0", budget * 0.04, { low: 50, text: 30, random: 20 }, 0o660, MYSQL);
  entries.push({ kind: "hardlink", rel: "lib/mysql/ib_logfile0.hardlink", target: "lib/mysql/ib_logfile0" });
  const tables = clamp(budget / 1e6, 40, 600);
  const dbs = ["keystone", "glance", "nova", "nova_api", "neutron", "placement", "cinder", "mysql"];
  for (const db of dbs) dir(`lib/mysql/${db}`, 0o700);
  split(rng, Math.floor(budget * 0.1), tables).forEach((size, i) => {
    const db = dbs[i % dbs.length]!;
    file(
      `lib/mysql/${db}/t${String(i).padStart(3, "0")}_` +
        `${pick(rng, ["instances", "tokens", "images", "ports", "allocations", "users"])}.ibd`,
      size,
      { low: 70, text: 20, random: 10 },
      0o660,
      MYSQL,
    );
  });
  dir("lib/mysql-files", 0o700);

  dir("lib/images", 0o750);
  const imgs = [uuid(rng), uuid(rng), uuid(rng)];
  split(rng, Math.floor(budget * 0.4), 3).forEach((size, i) =>
    file(
      `lib/images/${imgs[i]}`,
      size,
      { random: 80, zero: 5, low: 15 },
      0o640,
      GLANCE,
      i === 0 ? "user.glance.checksum" : undefined,
    ),
  );

  dir("lib/instances");
  for (const [i, size] of split(rng, Math.floor(budget * 0.15), 2).entries()) {
    const id = uuid(rng);
    dir(`lib/instances/${id}`);
    file(`lib/instances/${id}/disk`, size, { random: 35, zero: 30, text: 15, low: 20 }, 0o644);
    file(`lib/instances/${id}/console.log`, 4000 + i * 1000, TEXT, 0o600);
  }

  dir("lib/rabbitmq", 0o750);
  dir("lib/rabbitmq/mnesia", 0o750);
  dir("lib/rabbitmq/mnesia/rabbit@localhost", 0o750);
  split(rng, Math.floor(budget * 0.03), 20).forEach((size, i) =>
    file(
      `lib/rabbitmq/mnesia/rabbit@localhost/` +
        `${pick(rng, ["rabbit_queue", "rabbit_exchange", "rabbit_durable_route", "msg_store"])}_${i}.DCD`,
      size,
      { random: 30, text: 40, low: 30 },
      0o640,
      RABBIT,
    ),
  );
  file("lib/rabbitmq/.erlang.cookie", 20, { random: 1 }, 0o400, RABBIT);

  dir("log");
  const logDirs = [...SERVICES, "mysql", "rabbitmq", "nginx", "libvirt"];
  for (const d of logDirs) dir(`log/${d}`);
  const logs = clamp((budget * 0.08) / 64_000, 30, 2000);
  split(rng, Math.floor(budget * 0.08), logs).forEach((size, i) => {
    const d = logDirs[i % logDirs.length]!;
    file(`log/${d}/${d}-${i}.log${i % 5 === 4 ? `.${(i % 3) + 1}` : ""}`, size, TEXT, 0o640);
  });
  file("log/nova/instance with spaces.log", 2048, TEXT, 0o644);
  file("log/keystone/日本語-トークン.log", 1024, TEXT, 0o644);

  // What remains of the budget goes into the largest image, so the tree holds exactly sizeBytes.
  const planned = entries.reduce((s, e) => s + (e.kind === "file" ? e.size : 0), 0);
  const biggest = entries.find((e) => e.kind === "file" && e.rel === `lib/images/${imgs[0]}`) as Extract<
    PlanEntry,
    { kind: "file" }
  >;
  biggest.size = Math.max(0, biggest.size + (sizeBytes - planned));

  dir("images");
  dir("lock");
  dir("run");
  entries.push({ kind: "fifo", rel: "run/microstack.fifo", mode: 0o600 });

  const mtimes = new Map<string, number>();
  for (const e of entries) {
    if (e.kind === "hardlink") continue;
    mtimes.set(e.rel, BASE_T - Math.floor(rng() * 3 * 365 * 86400) + Math.floor(rng() * 1e6) / 1e6);
  }
  mtimes.set(".", BASE_T);
  const totalBytes = entries.reduce((s, e) => s + (e.kind === "file" ? e.size : 0), 0);
  return { entries, mtimes, totalBytes };
}
