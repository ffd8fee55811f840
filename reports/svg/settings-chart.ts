// The engineer's view as a chart: per scenario that compares tools or settings, one small panel per
// metric (times, rates, repository size, peak RSS), one bar per setting at its median with a min-max
// whisker and the median ± σ written beside it, the best one marked. From results.json's comparison.
import type { ComparedMetric, MetricInfo, ScenarioComparison } from "../../harness/model/comparison.ts";
import { formatMetricValue } from "../../harness/model/metrics.ts";
import { clip, esc, px } from "./escape.ts";
import { toolColor } from "./palette.ts";

/** The panels, in their order: what a tools-or-settings comparison is read for. */
export const CHARTED_METRICS: ComparedMetric[] = [
  "backupMs",
  "restoreMs",
  "rtoMs",
  "backupThroughputBps",
  "restoreThroughputBps",
  "repoBytes",
  "peakRssBytes",
];

const PANEL_W = 520;
const GAP = 20;
const COLS = 2;
const LABEL_W = 180;
const VALUE_W = 175; // "1.87 MB/s ± 1.08 MB/s" beside the longest whisker
const BAR_H = 14;
const ROW_GAP = 6;
const HEAD = 26;

function panel(s: ScenarioComparison, info: MetricInfo, x0: number, y0: number): string {
  const rows = s.groups.filter((g) => g.metrics[info.key]?.stats);
  const max = Math.max(...rows.map((g) => g.metrics[info.key]!.stats!.max), 0);
  const plotW = PANEL_W - LABEL_W - VALUE_W;
  const x = (v: number) => x0 + LABEL_W + (max > 0 ? (v / max) * plotW : 0);
  const winners = s.winners[info.key] ?? [];
  const better = info.better === "lower" ? "lower is better" : "higher is better";
  const out = [
    `<g class="panel" data-metric="${esc(info.key)}">`,
    `<text x="${px(x0)}" y="${px(y0 + 14)}" class="label">${esc(info.label)}</text>` +
      `<text x="${px(x0 + PANEL_W)}" y="${px(y0 + 14)}" text-anchor="end" class="muted">${better}</text>`,
  ];
  rows.forEach((g, i) => {
    const st = g.metrics[info.key]!.stats!;
    const y = y0 + HEAD + i * (BAR_H + ROW_GAP);
    const best = winners.includes(g.label);
    const sd = st.n > 1 ? ` ± ${formatMetricValue(info.unit, st.sd)}` : "";
    const value = `${formatMetricValue(info.unit, st.median)}${sd}`;
    out.push(
      `<g class="bar"><title>${esc(
        `${g.label}: median ${formatMetricValue(info.unit, st.median)}` +
          (st.n > 1
            ? `, σ ${formatMetricValue(info.unit, st.sd)}, min ${formatMetricValue(info.unit, st.min)}, ` +
              `max ${formatMetricValue(info.unit, st.max)} over ${st.n} runs`
            : " (one run)"),
      )}</title>`,
      `<text x="${px(x0 + LABEL_W - 8)}" y="${px(y + BAR_H - 3)}" text-anchor="end" class="sublabel">` +
        `${best ? "★ " : ""}${esc(clip(g.label, 30))}</text>`,
      `<rect x="${px(x(0))}" y="${px(y)}" width="${px(Math.max(1, x(st.median) - x(0)))}" height="${BAR_H}" ` +
        `rx="2" fill="${toolColor(s.groups.indexOf(g))}"${best ? "" : ' fill-opacity="0.75"'}/>`,
    );
    if (st.n > 1) {
      const mid = y + BAR_H / 2;
      out.push(
        `<path d="M${px(x(st.min))} ${px(mid)}H${px(x(st.max))}M${px(x(st.min))} ${px(y + 2)}V${px(y + BAR_H - 2)}` +
          `M${px(x(st.max))} ${px(y + 2)}V${px(y + BAR_H - 2)}" stroke="#0f172a" stroke-width="1.5" fill="none"/>`,
      );
    }
    out.push(
      `<text x="${px(x(Math.max(st.median, st.n > 1 ? st.max : 0)) + 6)}" y="${px(y + BAR_H - 3)}" ` +
        `class="value">${esc(value)}</text></g>`,
    );
  });
  out.push("</g>");
  return out.join("\n");
}

/** The chart of one scenario's comparison as an SVG string, or null when fewer than two settings measured anything. */
export function settingsChart(s: ScenarioComparison, metrics: readonly MetricInfo[]): string | null {
  if (s.groups.length < 2) return null;
  const shown = CHARTED_METRICS.map((k) => metrics.find((m) => m.key === k)).filter(
    (m): m is MetricInfo => m !== undefined && s.groups.filter((g) => g.metrics[m.key]?.stats).length >= 2,
  );
  if (shown.length === 0) return null;
  const panelH = HEAD + s.groups.length * (BAR_H + ROW_GAP) + GAP;
  const width = COLS * PANEL_W + (COLS - 1) * GAP;
  const height = Math.ceil(shown.length / COLS) * panelH;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${esc(s.scenario)}: ` +
      `${esc(shown.map((m) => m.label).join(", "))} per setting" viewBox="0 0 ${width} ${height}" ` +
      `width="${width}" height="${height}">`,
  ];
  shown.forEach((m, i) => out.push(panel(s, m, (i % COLS) * (PANEL_W + GAP), Math.floor(i / COLS) * panelH)));
  out.push("</svg>");
  return out.join("\n");
}
