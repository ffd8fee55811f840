// A timeline of each drill's phases (quiesce, backup, load, fault, restore, resume, verify ...)
// on one shared time axis, with the spans that make up RTO and downtime marked above each bar.
import { formatDuration } from "../../harness/util/units.ts";
import { clip, esc, px } from "./escape.ts";
import { phaseColor, PHASE_COLORS, QUIET_PHASES } from "./palette.ts";
import { timeScale, timeTick } from "./scale.ts";

export interface TimelinePhase {
  name: string;
  startMs: number;
  endMs: number;
  ok: boolean;
  detail?: string;
}

/** A measured span drawn as a bracket, in ms since the run started. */
export interface TimelineSpan {
  kind: "rto" | "downtime";
  label: string;
  fromMs: number;
  toMs: number;
}

export interface TimelineRun {
  title: string;
  subtitle: string;
  phases: TimelinePhase[];
  spans: TimelineSpan[];
}

const WIDTH = 1060;
const LABEL_W = 230;
const RIGHT_PAD = 24;
const ROW_H = 58;
const BAR_Y = 24;
const BAR_H = 20;
const TOP = 8;
const AXIS_H = 24;
const LEGEND_H = 40;

function bracket(s: TimelineSpan, y: number, x: (v: number) => number): string {
  const x1 = x(s.fromMs);
  const x2 = Math.max(x(s.toMs), x1 + 2);
  const mid = (x1 + x2) / 2;
  return (
    `<g class="span ${s.kind}"><title>${esc(s.label)}</title><path d="M${px(x1)} ${px(y + 6)}V${px(y)}H${px(x2)}V` +
    `${px(y + 6)}" fill="none"/><text x="${px(mid)}" y="${px(y - 3)}" text-anchor="middle">${esc(s.label)}` +
    `</text></g>`
  );
}

/** The chart as an SVG string, or null when no run recorded phases. */
export function timelineChart(runs: TimelineRun[]): string | null {
  const shown = runs.filter((r) => r.phases.length > 0);
  if (shown.length === 0) return null;
  const maxMs = Math.max(...shown.flatMap((r) => [...r.phases.map((p) => p.endMs), ...r.spans.map((s) => s.toMs)]));
  const plotBottom = TOP + shown.length * ROW_H;
  const height = plotBottom + AXIS_H + LEGEND_H;
  const x = timeScale(maxMs, LABEL_W, WIDTH - RIGHT_PAD, 8);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="Timeline of each drill's ` +
      `phases" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`,
  ];
  for (const t of x.ticks) {
    out.push(`<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${TOP}" y2="${px(plotBottom)}" class="grid"/>`);
    out.push(
      `<text x="${px(x(t))}" y="${px(plotBottom + 15)}" text-anchor="middle" class="tick">${esc(timeTick(t))}</text>`,
    );
  }
  shown.forEach((r, i) => {
    const y = TOP + i * ROW_H;
    out.push(`<g class="run"><title>${esc(`${r.title} · ${r.subtitle}`)}</title>`);
    out.push(
      `<text x="${LABEL_W - 10}" y="${px(y + BAR_Y + 9)}" text-anchor="end" class="label">` +
        `${esc(clip(r.title, 32))}</text>`,
    );
    out.push(
      `<text x="${LABEL_W - 10}" y="${px(y + BAR_Y + 23)}" text-anchor="end" class="sublabel">` +
        `${esc(clip(r.subtitle, 33))}</text></g>`,
    );
    const end = Math.max(...r.phases.map((p) => p.endMs));
    out.push(
      `<line x1="${px(x(0))}" x2="${px(x(end))}" y1="${px(y + BAR_Y + BAR_H / 2)}" y2="` +
        `${px(y + BAR_Y + BAR_H / 2)}" class="baseline"/>`,
    );
    for (const p of r.phases) {
      const x1 = x(p.startMs);
      const w = Math.max(p.name === "fault" ? 3 : 1.5, x(p.endMs) - x1);
      const quiet = QUIET_PHASES.has(p.name);
      const tip =
        `${p.name}${p.detail ? ` (${p.detail})` : ""}: ${formatDuration(p.endMs - p.startMs)}` +
        `${p.ok ? "" : ", failed"}`;
      out.push(
        `<g class="phase phase-${esc(p.name)}${quiet ? " quiet" : ""}${p.ok ? "" : " failed"}"><title>` +
          `${esc(tip)}</title>`,
      );
      out.push(
        `<rect x="${px(x1)}" y="${px(y + BAR_Y)}" width="${px(w)}" height="${BAR_H}" fill="` +
          `${phaseColor(p.name)}"${p.ok ? "" : ' stroke="#b91c1c" stroke-width="2"'}/>`,
      );
      if (w >= p.name.length * 6.2 + 6 && !quiet)
        out.push(
          `<text x="${px(x1 + w / 2)}" y="${px(y + BAR_Y + 14)}" text-anchor="middle" class="inbar">` +
            `${esc(p.name)}</text>`,
        );
      out.push("</g>");
    }
    for (const s of r.spans) out.push(bracket(s, y + 14, x));
  });
  out.push(`<line x1="${LABEL_W}" x2="${LABEL_W}" y1="${TOP}" y2="${px(plotBottom)}" class="axis"/>`);
  const used = Object.keys(PHASE_COLORS).filter((n) => shown.some((r) => r.phases.some((p) => p.name === n)));
  let lx = 0;
  let ly = plotBottom + AXIS_H + 8;
  const legend = [`<g class="legend">`];
  for (const n of used) {
    const w = 22 + n.length * 6.6;
    if (LABEL_W + lx + w > WIDTH) {
      lx = 0;
      ly += 16;
    }
    legend.push(
      `<rect x="${px(LABEL_W + lx)}" y="${px(ly)}" width="11" height="11" fill="${phaseColor(n)}" ` +
        `stroke="#94a3b8" stroke-width="0.5"/><text x="${px(LABEL_W + lx + 15)}" y="${px(ly + 9.5)}">${esc(n)}` +
        `</text>`,
    );
    lx += w + 6;
  }
  legend.push("</g>");
  out.push(legend.join(""), "</svg>");
  return out.join("\n");
}
