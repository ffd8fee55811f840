// Throughput per tool/settings as horizontal bars (median), with min-max whiskers and one dot
// per run when the group was repeated.
import { spreadOf } from "../../harness/compare/spread.ts";
import { formatRate } from "../../harness/util/units.ts";
import { clip, esc, px } from "./escape.ts";
import { SERIES_COLORS } from "./palette.ts";
import { linearScale } from "./scale.ts";

export interface ThroughputGroup {
  /** First label line, e.g. the scenario. */
  title: string;
  /** Second label line, e.g. the tool and its settings. */
  subtitle: string;
  backup: number[];
  restore: number[];
}

const WIDTH = 1060;
const LABEL_W = 300;
const RIGHT_PAD = 96;
const BAR_H = 14;
const BAR_GAP = 4;
const GROUP_GAP = 18;
const TOP = 30;
const AXIS_H = 30;

function series(kind: "backup" | "restore", values: number[], y: number, x: (v: number) => number): string {
  const s = spreadOf(values);
  if (!s) return `<text x="${px(x(0) + 4)}" y="${px(y + BAR_H - 3)}" class="muted">${kind}: not measured</text>`;
  const color = SERIES_COLORS[kind];
  const tip =
    s.n > 1
      ? `${kind}: median ${formatRate(s.median)}, min ${formatRate(s.min)}, max ${formatRate(s.max)} over ${s.n} runs`
      : `${kind}: ${formatRate(s.median)}`;
  const parts = [`<g class="bar ${kind}"><title>${esc(tip)}</title>`];
  parts.push(
    `<rect x="${px(x(0))}" y="${px(y)}" width="${px(Math.max(1, x(s.median) - x(0)))}" height="${BAR_H}" ` +
      `rx="2" fill="${color}"/>`,
  );
  if (s.n > 1) {
    const mid = y + BAR_H / 2;
    parts.push(
      `<path d="M${px(x(s.min))} ${px(mid)}H${px(x(s.max))}M${px(x(s.min))} ${px(y + 2)}V${px(y + BAR_H - 2)}M` +
        `${px(x(s.max))} ${px(y + 2)}V${px(y + BAR_H - 2)}" stroke="#0f172a" stroke-width="1.5" fill="none"/>`,
    );
    for (const v of values)
      parts.push(`<circle cx="${px(x(v))}" cy="${px(mid)}" r="2.2" fill="#fff" stroke="#0f172a" stroke-width="1"/>`);
  }
  const end = Math.max(x(s.median), s.n > 1 ? x(s.max) : 0);
  parts.push(
    `<text x="${px(end + 6)}" y="${px(y + BAR_H - 3)}" class="value">${esc(formatRate(s.median))}` +
      `${s.n > 1 ? ` <tspan class="muted">±${esc(formatRate((s.max - s.min) / 2))}</tspan>` : ""}</text>`,
  );
  parts.push("</g>");
  return parts.join("");
}

/** The chart as an SVG string, or null when no run measured a throughput. */
export function throughputChart(groups: ThroughputGroup[]): string | null {
  const all = groups.flatMap((g) => [...g.backup, ...g.restore]).filter((v) => Number.isFinite(v));
  if (all.length === 0) return null;
  const rowH = BAR_H * 2 + BAR_GAP;
  const height = TOP + groups.length * (rowH + GROUP_GAP) - GROUP_GAP + AXIS_H;
  const x = linearScale(Math.max(...all), LABEL_W, WIDTH - RIGHT_PAD);
  const plotBottom = height - AXIS_H + 6;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="Backup and restore ` +
      `throughput per tool and settings" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`,
    `<g class="legend" transform="translate(${LABEL_W},8)"><rect width="12" height="12" rx="2" fill="` +
      `${SERIES_COLORS.backup}"/><text x="17" y="10">backup</text><rect x="80" width="12" height="12" rx="2" ` +
      `fill="${SERIES_COLORS.restore}"/><text x="97" y="10">restore</text><text x="165" y="10" ` +
      `class="muted">bar: median; whisker: min–max over repeats</text></g>`,
  ];
  for (const t of x.ticks) {
    out.push(`<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${TOP - 6}" y2="${px(plotBottom)}" class="grid"/>`);
    out.push(
      `<text x="${px(x(t))}" y="${px(plotBottom + 16)}" text-anchor="middle" class="tick">${esc(formatRate(t))}</text>`,
    );
  }
  groups.forEach((g, i) => {
    const y = TOP + i * (rowH + GROUP_GAP);
    out.push(`<g class="group"><title>${esc(`${g.title} · ${g.subtitle}`)}</title>`);
    out.push(
      `<text x="${LABEL_W - 10}" y="${px(y + 12)}" text-anchor="end" class="label">${esc(clip(g.title, 40))}</text>`,
    );
    out.push(
      `<text x="${LABEL_W - 10}" y="${px(y + 27)}" text-anchor="end" class="sublabel">` +
        `${esc(clip(g.subtitle, 45))}</text></g>`,
    );
    out.push(series("backup", g.backup, y, x));
    out.push(series("restore", g.restore, y + BAR_H + BAR_GAP, x));
  });
  out.push(`<line x1="${LABEL_W}" x2="${LABEL_W}" y1="${TOP - 6}" y2="${px(plotBottom)}" class="axis"/>`);
  out.push("</svg>");
  return out.join("\n");
}
