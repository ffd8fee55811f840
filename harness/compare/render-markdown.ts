// The comparison as Markdown for a pull-request comment: the verdict first, then what changed
// beyond the noise, then every metric in a collapsed table.
import type { ResultsComparison, GroupChange, MetricChange } from "./compare-results.ts";
import type { Spread } from "./spread.ts";
import { formatMetricValue } from "../model/metrics.ts";

const MARK: Record<MetricChange["verdict"], string> = {
  regression: "❌ regression",
  improvement: "✅ improvement",
  noise: "≈ noise",
  unchanged: "= unchanged",
  "not-compared": "–",
};

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function spreadText(m: MetricChange, s: Spread | null): string {
  if (!s) return "–";
  const f = (v: number) => formatMetricValue(m.kind.unit, v);
  return s.n > 1 ? `${f(s.median)} <sub>${f(s.min)}–${f(s.max)}, n=${s.n}</sub>` : f(s.median);
}

function change(m: MetricChange): string {
  if (m.changePct === null) return m.verdict === "not-compared" ? "–" : "from 0";
  return `${m.changePct > 0 ? "+" : m.changePct < 0 ? "−" : "±"}${Math.abs(m.changePct).toFixed(1)}%`;
}

function groupName(g: GroupChange): string {
  return `${g.scenario} · ${g.label}`;
}

function row(g: GroupChange, m: MetricChange): string {
  return `| ${cell(groupName(g))} | ${m.kind.label} | ${spreadText(m, m.base)} | ${spreadText(m, m.next)} | ${change(m)} | ${MARK[m.verdict]} | ${cell(m.why)} |`;
}

const HEAD = ["| group | metric | base | new | change | verdict | why |", "|---|---|---:|---:|---:|---|---|"];
const GROUP_HEAD = ["| metric | base | new | change | verdict | why |", "|---|---:|---:|---:|---|---|"];

/** `labels` name the two sides, e.g. their folders. */
export function renderComparisonMarkdown(
  c: ResultsComparison,
  labels: { base: string; next: string } = { base: "base", next: "new" },
): string {
  const o = c.options;
  const headline =
    c.regressions > 0 ? `❌ **${c.regressions} regression${c.regressions > 1 ? "s" : ""}**` : "✅ **No regression**";
  const lines = [
    `## drdrill compare: ${headline}${c.improvements > 0 ? `, ${c.improvements} improvement${c.improvements > 1 ? "s" : ""}` : ""}`,
    "",
    `Base \`${labels.base}\` (run ${c.base.runId}, ${c.base.runs} run${c.base.runs === 1 ? "" : "s"}, ${c.base.startedAt}) → new \`${labels.next}\` (run ${c.next.runId}, ${c.next.runs} run${c.next.runs === 1 ? "" : "s"}, ${c.next.startedAt}).`,
    `A change counts when it is worse (or better) by more than ${o.thresholdPct}%, by more than ${o.minChangeMs >= 1000 ? `${o.minChangeMs / 1000} s` : `${o.minChangeMs} ms`} of time (times, and rates through the time they stand for), and outside both runs' min–max; otherwise it is noise.`,
    "",
  ];
  if (c.base.parallelJobs !== c.next.parallelJobs) {
    const how = (n: number) => (n > 1 ? `up to ${n} runs at once (--jobs)` : "one run at a time");
    lines.push(
      `⚠️ Base ran ${how(c.base.parallelJobs)}, new ${how(c.next.parallelJobs)}: runs that share the machine are slower, so their timings are not comparable with serial ones.`,
      "",
    );
  }
  const both = c.groups.filter((g) => g.presence === "both");
  if (both.some((g) => g.base!.runs === 1 || g.next!.runs === 1)) {
    lines.push(
      "Single runs have no spread to tell noise by, so the threshold and the floor decide alone: repeat the drill (`--repeat 3`) for a sturdier verdict.",
      "",
    );
  }
  const outcome = both.filter((g) => g.outcomeRegression);
  if (outcome.length > 0) {
    lines.push("### Runs that no longer pass", "");
    for (const g of outcome) lines.push(`- ❌ **${cell(groupName(g))}**: ${g.notes[0]}`);
    lines.push("");
  }
  const notable = both.flatMap((g) =>
    g.metrics.filter((m) => m.verdict === "regression" || m.verdict === "improvement").map((m) => row(g, m)),
  );
  if (notable.length > 0) lines.push("### Changes beyond the noise", "", ...HEAD, ...notable, "");
  else if (both.length > 0) lines.push("No metric changed beyond the noise.", "");
  const only = c.groups.filter((g) => g.presence !== "both");
  if (only.length > 0) {
    lines.push("### Not in both runs", "");
    for (const g of only)
      lines.push(
        `- ${cell(groupName(g))}: only in ${g.presence === "base-only" ? "base" : "new"} (${(g.base ?? g.next)!.runs} run(s))`,
      );
    lines.push("");
  }
  const notes = both.flatMap((g) =>
    g.notes.filter((n) => !g.outcomeRegression || n !== g.notes[0]).map((n) => `- ${cell(groupName(g))}: ${n}`),
  );
  if (notes.length > 0) lines.push("### Notes", "", ...notes, "");
  if (both.length > 0) {
    lines.push("<details><summary>All metrics</summary>", "");
    for (const g of both) {
      lines.push(
        `**${cell(groupName(g))}** (base ${g.base!.passed}/${g.base!.runs} passed, new ${g.next!.passed}/${g.next!.runs})`,
        "",
        ...GROUP_HEAD,
      );
      for (const m of g.metrics)
        lines.push(
          `| ${m.kind.label} | ${spreadText(m, m.base)} | ${spreadText(m, m.next)} | ${change(m)} | ${MARK[m.verdict]} | ${cell(m.why)} |`,
        );
      lines.push("");
    }
    lines.push("</details>", "");
  }
  return lines.join("\n");
}
