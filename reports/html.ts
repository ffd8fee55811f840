// index.html: the report people look at, one self-contained file (CSS, script and SVG charts
// inline, nothing fetched); the model is computed first, then laid out by handlebars templates.
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import type { ResultsFile } from "../harness/model/results-file.ts";
import { buildReportModel, type ReportModel } from "./model.ts";
import type { Reporter } from "../harness/model/reporter.ts";
import { PHASE_COLORS } from "./svg/palette.ts";

const TEMPLATES = fileURLToPath(new URL("./templates/", import.meta.url));

function createRenderer(): Handlebars.TemplateDelegate {
  const hb = Handlebars.create();
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  const partials = join(TEMPLATES, "partials");
  for (const f of readdirSync(partials).filter((n) => n.endsWith(".hbs"))) {
    hb.registerPartial(basename(f, ".hbs"), readFileSync(join(partials, f), "utf8"));
  }
  return hb.compile(readFileSync(join(TEMPLATES, "index.hbs"), "utf8"), { strict: false, preventIndent: true });
}

let renderer: Handlebars.TemplateDelegate | undefined;

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function css(): string {
  const swatches = Object.entries(PHASE_COLORS).map(
    ([name, color]) => `.swatch.phase-${name} { background: ${color}; }`,
  );
  return `${readFileSync(join(TEMPLATES, "style.css"), "utf8")}\n${swatches.join("\n")}`;
}

export function renderHtmlFromModel(model: ReportModel): string {
  renderer ??= createRenderer();
  const { charts: _charts, ...data } = model;
  return renderer({
    ...model,
    css: css(),
    script: readFileSync(join(TEMPLATES, "sort-table.js"), "utf8"),
    modelJson: scriptJson(data),
  });
}

export function renderHtml(results: ResultsFile): string {
  return renderHtmlFromModel(buildReportModel(results));
}

export const htmlReporter: Reporter = {
  name: "html",
  async onEnd(results, outDir) {
    const path = join(outDir, "index.html");
    await writeFile(path, renderHtml(results));
    return path;
  },
};
