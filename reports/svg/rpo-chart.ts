// Achieved RPO against the backup interval, when a sweep of intervals was run: one dot per run,
// one colour per tool, and the line RPO = interval that a scheduled backup should stay near.
import { formatDuration } from "../../harness/util/units.ts";
import { clip, esc, px } from "./escape.ts";
import { toolColor } from "./palette.ts";
import { timeScale, timeTick } from "./scale.ts";

export interface RpoPoint {
  series: string;
  intervalMs: number;
  rpoMs: number;
}

const WIDTH = 1060;
const HEIGHT = 300;
const LEFT = 80;
const RIGHT = 180;
const TOP = 16;
const BOTTOM = 44;

/** The chart as an SVG string, or null when no run carries both an interval and an RPO. */
export function rpoChart(points: RpoPoint[]): string | null {
  const ok = points.filter((p) => Number.isFinite(p.intervalMs) && Number.isFinite(p.rpoMs));
  if (ok.length === 0) return null;
  const max = Math.max(...ok.flatMap((p) => [p.intervalMs, p.rpoMs]));
  const x = timeScale(max, LEFT, WIDTH - RIGHT);
  const y = timeScale(max, HEIGHT - BOTTOM, TOP);
  const series = [...new Set(ok.map((p) => p.series))];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="Achieved RPO against backup ` +
      `interval" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">`,
  ];
  for (const t of x.ticks) {
    out.push(
      `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${TOP}" y2="${HEIGHT - BOTTOM}" class="grid"/><text x="` +
        `${px(x(t))}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle" class="tick">${esc(timeTick(t))}</text>`,
    );
  }
  for (const t of y.ticks) {
    out.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(t))}" y2="${px(y(t))}" class="grid"/><text x="` +
        `${LEFT - 6}" y="${px(y(t) + 4)}" text-anchor="end" class="tick">${esc(timeTick(t))}</text>`,
    );
  }
  out.push(
    `<line x1="${px(x(0))}" y1="${px(y(0))}" x2="${px(x(x.domainMax))}" y2="${px(y(x.domainMax))}" ` +
      `class="reference"><title>RPO = interval</title></line>`,
  );
  out.push(
    `<text x="${(LEFT + WIDTH - RIGHT) / 2}" y="${HEIGHT - 8}" text-anchor="middle" class="axis-title">backup ` +
      `interval</text>`,
  );
  out.push(
    `<text transform="translate(16 ${(TOP + HEIGHT - BOTTOM) / 2}) rotate(-90)" text-anchor="middle" ` +
      `class="axis-title">achieved RPO</text>`,
  );
  for (const p of ok) {
    const i = series.indexOf(p.series);
    const c = toolColor(i);
    // Series side by side at the same interval, a few pixels apart, so none hides another.
    const dx = (i - (series.length - 1) / 2) * 7;
    out.push(
      `<circle cx="${px(x(p.intervalMs) + dx)}" cy="${px(y(p.rpoMs))}" r="4.5" fill="${c}" ` +
        `fill-opacity="0.85"><title>` +
        `${esc(`${p.series}: interval ${formatDuration(p.intervalMs)}, RPO ${formatDuration(p.rpoMs)}`)}` +
        `</title></circle>`,
    );
  }
  series.forEach((s, i) => {
    const ly = TOP + 6 + i * 18;
    out.push(
      `<circle cx="${WIDTH - RIGHT + 20}" cy="${ly}" r="4.5" fill="${toolColor(i)}"/><text x="` +
        `${WIDTH - RIGHT + 30}" y="${ly + 4}">${esc(clip(s, 24))}</text>`,
    );
  });
  out.push(
    `<line x1="${WIDTH - RIGHT + 12}" x2="${WIDTH - RIGHT + 28}" y1="${TOP + 6 + series.length * 18}" y2="` +
      `${TOP + 6 + series.length * 18}" class="reference"/><text x="${WIDTH - RIGHT + 30}" y="` +
      `${TOP + 10 + series.length * 18}" class="muted">RPO = interval</text>`,
  );
  out.push("</svg>");
  return out.join("\n");
}
