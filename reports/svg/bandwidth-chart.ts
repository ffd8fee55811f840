// Restore time against the bandwidth cap to the secondary site, when a sweep of caps was run: one
// line per tool through its runs' medians (dots for every run), bandwidth on a log scale.
import { formatDuration, formatRate } from "../../harness/util/units.ts";
import { clip, esc, px } from "./escape.ts";
import { toolColor } from "./palette.ts";
import { timeScale, timeTick } from "./scale.ts";

export interface BandwidthPoint {
  series: string;
  bandwidthBps: number;
  restoreMs: number;
}

const WIDTH = 1060;
const HEIGHT = 300;
const LEFT = 80;
const RIGHT = 180;
const TOP = 16;
const BOTTOM = 44;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** The chart as an SVG string, or null without at least two caps measured. */
export function bandwidthChart(points: BandwidthPoint[]): string | null {
  const ok = points.filter((p) => p.bandwidthBps > 0 && Number.isFinite(p.restoreMs));
  const caps = [...new Set(ok.map((p) => p.bandwidthBps))].sort((a, b) => a - b);
  if (caps.length < 2) return null;
  const lo = Math.log10(caps[0]!) - 0.15;
  const hi = Math.log10(caps.at(-1)!) + 0.15;
  const x = (bps: number) => LEFT + ((Math.log10(bps) - lo) / (hi - lo)) * (WIDTH - RIGHT - LEFT);
  const y = timeScale(Math.max(...ok.map((p) => p.restoreMs)), HEIGHT - BOTTOM, TOP);
  const series = [...new Set(ok.map((p) => p.series))];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="Restore time against ` +
      `bandwidth to the site" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">`,
  ];
  for (const c of caps)
    out.push(
      `<line x1="${px(x(c))}" x2="${px(x(c))}" y1="${TOP}" y2="${HEIGHT - BOTTOM}" class="grid"/><text x="` +
        `${px(x(c))}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle" class="tick">${esc(formatRate(c))}</text>`,
    );
  for (const t of y.ticks)
    out.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(t))}" y2="${px(y(t))}" class="grid"/><text x="` +
        `${LEFT - 6}" y="${px(y(t) + 4)}" text-anchor="end" class="tick">${esc(timeTick(t))}</text>`,
    );
  out.push(
    `<text x="${(LEFT + WIDTH - RIGHT) / 2}" y="${HEIGHT - 8}" text-anchor="middle" ` +
      `class="axis-title">bandwidth cap to site B</text>`,
  );
  out.push(
    `<text transform="translate(16 ${(TOP + HEIGHT - BOTTOM) / 2}) rotate(-90)" text-anchor="middle" ` +
      `class="axis-title">restore time</text>`,
  );
  series.forEach((s, i) => {
    const c = toolColor(i);
    const mine = ok.filter((p) => p.series === s);
    const line = caps
      .map((cap) => mine.filter((p) => p.bandwidthBps === cap).map((p) => p.restoreMs))
      .map((ms, k) => (ms.length > 0 ? `${px(x(caps[k]!))},${px(y(median(ms)))}` : null))
      .filter(Boolean)
      .join(" ");
    out.push(`<polyline points="${line}" fill="none" stroke="${c}" stroke-width="2"/>`);
    for (const p of mine)
      out.push(
        `<circle cx="${px(x(p.bandwidthBps))}" cy="${px(y(p.restoreMs))}" r="4" fill="${c}"><title>` +
          `${esc(`${s}: ${formatRate(p.bandwidthBps)}, restore ${formatDuration(p.restoreMs)}`)}</title></circle>`,
      );
    const ly = TOP + 6 + i * 18;
    out.push(
      `<circle cx="${WIDTH - RIGHT + 20}" cy="${ly}" r="4.5" fill="${c}"/><text x="${WIDTH - RIGHT + 30}" y="` +
        `${ly + 4}">${esc(clip(s, 24))}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}
