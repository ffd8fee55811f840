// Parsing and formatting of sizes ("3.34GB"), durations ("10s", "5m") and rates ("20MB/s").

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  k: 1e3,
  m: 1e6,
  g: 1e9,
};

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  // A restore test's points are days old (pointAge: "< 2d", random: { within: 30d }).
  d: 86_400_000,
};

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;

/** "3.34GB" -> 3340000000; bare numbers are bytes. Returns undefined when not a size. */
export function parseSize(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? Math.round(text) : undefined;
  const m = new RegExp(`^\\s*${NUMBER}\\s*([a-zA-Z]*)\\s*$`).exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? "").toLowerCase() || "b";
  const factor = SIZE_UNITS[unit];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

/** "10s" -> 10000, "1.5m" -> 90000, "250ms" -> 250. Returns undefined when not a duration. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
  const m = new RegExp(`^\\s*${NUMBER}\\s*([a-z]+)\\s*$`).exec(text);
  if (!m) return undefined;
  const factor = DURATION_UNITS[m[2]!];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

/** "20MB/s" -> 2e7 bytes per second. */
export function parseRate(text: string): number | undefined {
  const m = /^(.*)\/s\s*$/.exec(text.trim());
  return m ? parseSize(m[1]!) : undefined;
}

export function formatBytes(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return "-";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

export function formatRate(bps: number | undefined | null): string {
  return bps === undefined || bps === null || !Number.isFinite(bps) ? "-" : `${formatBytes(bps)}/s`;
}

export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return "-";
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) >= 3_600_000) {
    const h = Math.floor(ms / 3_600_000);
    return `${h}h ${Math.round((ms - h * 3_600_000) / 60_000)}m`;
  }
  const m = Math.floor(ms / 60_000);
  return `${m}m ${((ms - m * 60_000) / 1000).toFixed(1)}s`;
}
