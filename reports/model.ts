// The HTML report's data model, computed from results.json alone before anything is rendered
// (as Playwright's HTML report does): the templates only lay it out.
import type { RunResult } from "../harness/model/result.ts";
import type { ResultsFile } from "../harness/model/results-file.ts";
import { formatMetricValue, metricHeading, metricsIn } from "../harness/model/metrics.ts";
import { runVerdict, verdictOf, type Verdict } from "../harness/model/verdict.ts";
import { formatBytes, formatDuration } from "../harness/util/units.ts";
import { rpoPoints, throughputGroups, timelineRuns } from "./chart-data.ts";
import { OUTCOME_MARK } from "./format.ts";
import { fallbackText, pointText } from "./recovery-point-text.ts";
import { parallelNote } from "./parallel-note.ts";
import { runModel, toneOf, type RunModel } from "./run-model.ts";
import { rpoChart } from "./svg/rpo-chart.ts";
import { bandwidthChart } from "./svg/bandwidth-chart.ts";
import { renderSiteSection } from "./site-section.ts";
import { renderReplicationMatrix } from "./replication-matrix.ts";
import { markdownBlocks, type HtmlBlock } from "./md-tables.ts";
import { settingsChart } from "./svg/settings-chart.ts";
import { throughputChart } from "./svg/throughput-chart.ts";
import { timelineChart } from "./svg/timeline-chart.ts";
import { toolsTables, type ToolsTable } from "./tools-table.ts";
import { contextRows } from "./context.ts";
import { renderSettingsSummary } from "./settings-summary.ts";

export interface Cell {
  text: string;
  /** What the column sorts by; "" sorts last. */
  sort: string | number;
  tone?: string;
  title?: string;
  numeric?: boolean;
  /** Long text that may wrap (the tool's settings). */
  wrap?: boolean;
  /** A second, smaller line. */
  sub?: string;
}

export interface Column {
  label: string;
  title: string;
  numeric: boolean;
}

export interface ReportModel {
  title: string;
  /** The engineer's view first: hyperfine's summary of each scenario that compares settings (console's). */
  settingsSummary: string[];
  runId: string;
  startedAt: string;
  finishedAt: string;
  elapsed: string;
  verdict: Verdict;
  /** Runs went at once: their timings are not comparable with serial ones. */
  parallelNote: string | null;
  /** What a reader must know to read the numbers (results.json's warnings: a busy machine, emulated timings...). */
  warnings: string[];
  columns: Column[];
  rows: { id: string; tone: string; cells: Cell[] }[];
  charts: {
    /** Per scenario comparing settings, its metrics charted with their spread (led with, under the summary). */
    settings: { scenario: string; svg: string }[];
    throughput: string | null;
    timeline: string | null;
    rpo: string | null;
    bandwidth: string | null;
  };
  /** The secondary site's tables (report.md's section, as escaped HTML blocks). */
  site: HtmlBlock[];
  toolsTables: ToolsTable[];
  runs: RunModel[];
  environment: { name: string; value: string }[];
  scenarios: { name: string; file: string; sha256: string }[];
  command: string;
}

const num = (v: number | null, fmt: (n: number) => string): Cell =>
  v === null || !Number.isFinite(v) ? { text: "–", sort: "" } : { text: fmt(v), sort: v };

const COLUMNS: [string, string, boolean, (r: RunResult) => Cell][] = [
  ["#", "run number", true, (r) => ({ text: String(r.index + 1), sort: r.index + 1 })],
  [
    "scenario · tool · settings",
    "scenario, then the tool and the settings that differ from its defaults",
    false,
    (r) => ({
      wrap: true,
      text: r.scenario,
      sub: `${r.label}${r.repeat > 1 ? ` (repeat ${r.repeat})` : ""}`,
      sort: `${r.scenario} ${r.label} ${String(r.repeat).padStart(4, "0")}`,
    }),
  ],
  [
    "outcome",
    "outcome (expected in the tooltip)",
    false,
    (r) => {
      const v = runVerdict(r);
      return {
        text: `${OUTCOME_MARK[r.outcome] ?? r.outcome}${v.kind === "passed" ? "" : " ✗"}`,
        sort: `${v.kind === "passed" ? 1 : 0}${r.outcome}`,
        tone: toneOf(r),
        title: `${v.words}; expected ${r.expected.join(" or ")}: ${r.reason}`,
      };
    },
  ],
  [
    "point",
    "the backup restored (N of the run's backups) and what failed before it",
    false,
    (r) => {
      const rp = r.recoveryPoint;
      const text = rp?.backup ? `${rp.backup.number} of ${rp.backup.of}` : pointText(rp);
      return {
        text,
        sort: rp?.backup?.number ?? "",
        ...(rp?.fallback
          ? { sub: `after ${rp.fallback.failedPoints.join(", ")} failed`, title: fallbackText(rp) }
          : rp?.random
            ? { sub: `random, seed ${rp.random.seed}` }
            : {}),
      };
    },
  ],
  // Every metric the catalogue puts in the runs table, in its order (report.md's table has the same).
  ...metricsIn("runs").map((m): [string, string, boolean, (r: RunResult) => Cell] => [
    metricHeading(m),
    m.title,
    true,
    (r) => num(r.metrics[m.key] ?? null, (v) => formatMetricValue(m.unit, v)),
  ]),
];

function environmentRows(results: ResultsFile): { name: string; value: string }[] {
  const e = results.environment;
  return [
    { name: "drdrill", value: e.drdrill },
    { name: "node", value: e.node },
    { name: "OS", value: `${e.os} (kernel ${e.kernel}, ${e.arch})` },
    { name: "machine", value: `${e.cpus} CPUs, ${formatBytes(e.memoryBytes)} memory` },
    ...contextRows(results),
    ...Object.entries(e.target).map(([k, v]) => ({ name: `target ${k}`, value: v })),
    ...Object.entries(e.tools).map(([k, v]) => ({ name: k, value: v })),
  ];
}

export function buildReportModel(results: ResultsFile): ReportModel {
  const points = rpoPoints(results.results);
  const swept = new Set(points.map((p) => p.intervalMs)).size > 1;
  const elapsedMs = Date.parse(results.finishedAt) - Date.parse(results.startedAt);
  return {
    title: `drdrill report ${results.runId}`,
    runId: results.runId,
    startedAt: results.startedAt,
    finishedAt: results.finishedAt,
    elapsed: formatDuration(Number.isFinite(elapsedMs) ? elapsedMs : null),
    verdict: verdictOf(results),
    parallelNote: parallelNote(results),
    settingsSummary: renderSettingsSummary(results),
    warnings: results.warnings ?? [],
    columns: COLUMNS.map(([label, title, numeric]) => ({ label, title, numeric })),
    rows: results.results.map((r) => ({
      id: `run-${r.index + 1}`,
      tone: toneOf(r),
      cells: COLUMNS.map(([, , numeric, cell]) => ({ ...cell(r), numeric })),
    })),
    charts: {
      settings: (results.comparison?.scenarios ?? []).flatMap((sc) => {
        const svg = settingsChart(sc, results.comparison!.metrics);
        return svg ? [{ scenario: sc.scenario, svg }] : [];
      }),
      throughput: throughputChart(throughputGroups(results.results)),
      timeline: timelineChart(timelineRuns(results.results)),
      rpo: swept ? rpoChart(points) : null,
      bandwidth: bandwidthChart(
        results.results
          .filter((r) => r.bandwidthBps && r.metrics.restoreMs !== null)
          .map((r) => ({ series: r.tool, bandwidthBps: r.bandwidthBps!, restoreMs: r.metrics.restoreMs! })),
      ),
    },
    toolsTables: toolsTables(results.comparison),
    site: markdownBlocks([...renderReplicationMatrix(results.results), ...renderSiteSection(results.results)]),
    runs: results.results.map((r) => runModel(r, results.results.length)),
    environment: environmentRows(results),
    scenarios: results.scenarios,
    command: `drdrill ${results.argv.join(" ")}`,
  };
}
