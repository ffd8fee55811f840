// `drdrill history`'s output: one Markdown table per scenario over time (stdout) and history.html,
// a self-contained page (no network) with one chart per scenario of RTO, RPO, restore time and point
// age over time, the outcome of each run, and the latest breach of each objective marked.
import { HISTORY_METRICS, type HistoryMetric, type ScenarioHistory } from "../harness/compare/history.ts";
import { formatDuration } from "../harness/util/units.ts";
import { escapeMd } from "./format.ts";
import { esc, px } from "./svg/escape.ts";
import { timeScale } from "./svg/scale.ts";

export const METRIC_NAMES: Record<HistoryMetric, string> = {
  rtoMs: "RTO",
  rpoMs: "RPO",
  restoreMs: "restore time",
  pointAgeMs: "point age",
};
const COLORS: Record<HistoryMetric, string> = {
  rtoMs: "#1f77b4",
  rpoMs: "#ff7f0e",
  restoreMs: "#2ca02c",
  pointAgeMs: "#9467bd",
};
const OUTCOME_COLORS: Record<string, string> = { recovered: "#2ca02c", detected: "#1f77b4" };

function breachText(metrics: string[]): string {
  return metrics.map((m) => `latest ${METRIC_NAMES[m as HistoryMetric] ?? m} breach`).join(", ");
}

function cell(row: ScenarioHistory["rows"][number], m: HistoryMetric): string {
  const v = formatDuration(row.values[m]);
  return row.latestBreach.includes(m) ? `**${v}** ✗` : row.breached.includes(m) ? `${v} ✗` : v;
}

/** The Markdown tables; ✗ marks a missed objective, bold its latest breach. */
export function renderHistoryMarkdown(history: ScenarioHistory[]): string {
  const out: string[] = [];
  for (const s of history) {
    out.push(`## ${escapeMd(s.scenario)}`, "");
    out.push(
      `| run time | run | tool | outcome | ${HISTORY_METRICS.map((m) => METRIC_NAMES[m]).join(" | ")} | marks |`,
    );
    out.push(`|---|---|---|---|${HISTORY_METRICS.map(() => "---:").join("|")}|---|`);
    for (const r of s.rows) {
      const outcome = r.passed ? r.outcome : `**${r.outcome}** (did not pass)`;
      const metrics = HISTORY_METRICS.map((m) => cell(r, m)).join(" | ");
      out.push(
        `| ${r.startedAt} | ${escapeMd(r.runId)} | ${escapeMd(r.label)} | ${outcome} | ${metrics} | ` +
          `${breachText(r.latestBreach)} |`,
      );
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

const W = 760;
const H = 260;
const M = { left: 70, right: 50, top: 20, bottom: 50 };

/** One scenario's chart: a line per metric over the runs (in time order), outcome dots below. */
export function historyChart(s: ScenarioHistory): string {
  const metrics = HISTORY_METRICS.filter((m) => s.rows.some((r) => r.values[m] !== null));
  const max = Math.max(0, ...s.rows.flatMap((r) => metrics.map((m) => r.values[m] ?? 0)));
  const y = timeScale(max, H - M.bottom, M.top);
  const n = s.rows.length;
  const x = (i: number) => M.left + (n === 1 ? (W - M.left - M.right) / 2 : (i * (W - M.left - M.right)) / (n - 1));
  const parts: string[] = [];
  for (const t of y.ticks) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="#ddd"/>`);
    parts.push(`<text x="${M.left - 6}" y="${px(y(t) + 4)}" text-anchor="end">${esc(formatDuration(t))}</text>`);
  }
  for (const m of metrics) {
    const pts = s.rows.flatMap((r, i) => (r.values[m] === null ? [] : [`${px(x(i))},${px(y(r.values[m]!))}`]));
    parts.push(
      `<polyline class="series" data-metric="${m}" points="${pts.join(" ")}" fill="none" stroke="${COLORS[m]}"/>`,
    );
    s.rows.forEach((r, i) => {
      if (r.values[m] === null) return;
      const breach = r.latestBreach.includes(m);
      parts.push(
        `<circle cx="${px(x(i))}" cy="${px(y(r.values[m]!))}" r="${breach ? 6 : 3}" fill="${COLORS[m]}"` +
          `${breach ? ` class="latest-breach" data-metric="${m}" stroke="#d62728" stroke-width="3"` : ""}>` +
          `<title>${esc(`${METRIC_NAMES[m]} ${formatDuration(r.values[m])}${breach ? " (latest breach)" : ""}`)}` +
          `</title>` +
          `</circle>`,
      );
    });
  }
  s.rows.forEach((r, i) => {
    const color = r.passed ? (OUTCOME_COLORS[r.outcome] ?? "#7f7f7f") : "#d62728";
    parts.push(
      `<rect class="outcome" x="${px(x(i) - 5)}" y="${H - M.bottom + 8}" width="10" height="10" fill="${color}">` +
        `<title>${esc(`${r.startedAt} ${r.outcome}${r.passed ? "" : " (did not pass)"}`)}</title></rect>`,
    );
    parts.push(
      `<text x="${px(x(i))}" y="${H - 12}" text-anchor="middle">` +
        `${esc(r.startedAt.slice(5, 16).replace("T", " "))}</text>`,
    );
  });
  const legend = metrics
    .map((m, i) => `<text x="${M.left + i * 130}" y="12" fill="${COLORS[m]}">■ ${esc(METRIC_NAMES[m])}</text>`)
    .join("");
  return (
    `<svg class="history-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" ` +
    `aria-label="${esc(s.scenario)} over time" font-size="11" font-family="sans-serif">${legend}${parts.join("")}</svg>`
  );
}

function htmlTable(s: ScenarioHistory): string {
  const head = ["run time", "run", "tool", "outcome", ...HISTORY_METRICS.map((m) => METRIC_NAMES[m]), "marks"];
  const rows = s.rows.map((r) => {
    const metrics = HISTORY_METRICS.map((m) => {
      const cls = r.latestBreach.includes(m) ? "latest-breach" : r.breached.includes(m) ? "breach" : "";
      return `<td class="num ${cls}">${esc(formatDuration(r.values[m]))}${r.breached.includes(m) ? " ✗" : ""}</td>`;
    });
    return (
      `<tr><td>${esc(r.startedAt)}</td><td>${esc(r.runId)}</td><td>${esc(r.label)}</td>` +
      `<td class="${r.passed ? "" : "breach"}">${esc(r.outcome)}${r.passed ? "" : " (did not pass)"}</td>` +
      `${metrics.join("")}<td>${esc(breachText(r.latestBreach))}</td></tr>`
    );
  });
  const th = head.map((h) => `<th>${esc(h)}</th>`).join("");
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

const STYLE = `body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px}td.num{text-align:right;white-space:nowrap}.breach{color:#d62728}
.latest-breach{color:#fff;background:#d62728;font-weight:bold}`;

/** history.html: every scenario's chart and table, nothing fetched. */
export function renderHistoryHtml(history: ScenarioHistory[], folders: number): string {
  const sections = history.map(
    (s) => `<section class="scenario"><h2>${esc(s.scenario)}</h2>${historyChart(s)}${htmlTable(s)}</section>`,
  );
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>drdrill history</title>` +
    `<style>${STYLE}</style></head><body><h1>drdrill history</h1>` +
    `<p>${folders} run folder(s); ✗ a missed objective, red the latest breach of each objective.</p>` +
    `${sections.join("")}</body></html>\n`
  );
}
