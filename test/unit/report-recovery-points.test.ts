// The recovery point as a reader finds it in report.md, index.html and junit.xml: the backup
// restored, its age, the writes lost, the byte-identical share, the fallback's failed points and the
// tool's words; a random restore's seed; and results written before recovery points existed.
import { describe, expect, it } from "vitest";
import type { RecoveryPoint } from "../../harness/model/recovery-point.ts";
import { renderHtml } from "../../reports/html.ts";
import { renderJunit } from "../../reports/junit.ts";
import { renderMarkdown } from "../../reports/markdown.ts";
import { resultsFile, run } from "./report-fixture.ts";

const WORDS = "zstd: error 70 : Decompression error: Data corruption detected";

const fellBack: RecoveryPoint = {
  asked: "newest-restorable",
  backup: {
    number: 3,
    of: 4,
    kind: "incremental",
    toolId: "1796165867386-incremental.tar.zst",
    takenAt: "2026-11-26T09:36:44.000Z",
  },
  disasterAt: "2026-11-26T09:36:50.000Z",
  ageAtDisasterMs: 6000,
  writesLost: 42,
  newestWriteAtDisaster: { seq: 90, wallMs: 0 },
  newestWriteSurviving: { seq: 48, wallMs: 0 },
  filesChecked: 200,
  filesIdentical: 200,
  identicalShare: 1,
  attempts: [
    {
      attempt: 1,
      backup: 4,
      toolId: null,
      takenAt: "2026-11-26T09:36:46.000Z",
      verdict: "damaged",
      said: `tar-zstd-restore: ${WORDS}`,
      placed: false,
    },
    {
      attempt: 2,
      backup: 3,
      toolId: "1796165867386-incremental.tar.zst",
      takenAt: "2026-11-26T09:36:44.000Z",
      verdict: "restored",
      said: null,
      placed: true,
    },
  ],
  fallback: { failedPoints: [4], extraRpoMs: 2000 },
};

const results = resultsFile([
  run({ recoveryPoint: fellBack, scenario: "corrupt-newest-incremental" }),
  run({
    index: 1,
    outcome: "detected",
    expected: ["detected"],
    recoveryPoint: {
      ...fellBack,
      asked: "latest",
      backup: null,
      ageAtDisasterMs: null,
      writesLost: null,
      writesLostUnknown: "nothing was restored",
      newestWriteSurviving: null,
      filesChecked: null,
      filesIdentical: null,
      identicalShare: null,
      attempts: [fellBack.attempts[0]!],
      fallback: null,
    },
  }),
  run({
    index: 2,
    recoveryPoint: {
      ...fellBack,
      asked: "random",
      random: { seed: 918273, among: [1, 2, 3, 4] },
      attempts: [fellBack.attempts[1]!],
      fallback: null,
    },
  }),
]);

describe("recovery points in the reports", () => {
  it(
    "report.md: a Recovery points table, and per run the failed point in the tool's words, the point used, its " +
      "age and the writes lost",
    () => {
      const md = renderMarkdown(results);
      const section = md.slice(md.indexOf("## Recovery points"), md.indexOf("## Details"));
      expect(section).toMatch(
        new RegExp(
          String.raw`\| 1 \| corrupt-newest-incremental \| .* \| newest-restorable \| backup 3 of 4 ` +
            String.raw`\(incremental, 1796165867386-incremental\.tar\.zst\) \| 6\.00 s \| 42 \(newest at ` +
            String.raw`the disaster #90, newest restored #48\) \| 100 % \(200 of 200 files\) \| backup 4 ` +
            String.raw`failed; restored from 3 \(\+2\.00 s of RPO\) \|`,
        ),
      );
      expect(section).toMatch(
        /\| 2 \| .* \| latest \| none restored \| - \| unknown \(nothing was restored\) \| - \| - \|/,
      );
      expect(section).toContain("random (seed 918273, among backups 1, 2, 3, 4)");
      const detail = md.slice(md.indexOf("### 1."), md.indexOf("### 2."));
      expect(detail).toContain(
        `- tried backup 4 taken 2026-11-26T09:36:46.000Z: damaged — ` + `tar-zstd-restore: ${WORDS}`,
      );
      expect(detail).toContain(
        "- tried backup 3 (1796165867386-incremental.tar.zst) taken 2026-11-26T09:36:44.000Z: restored, put in place",
      );
      // The faults table names the point restored and the fallback.
      expect(md).toMatch(
        new RegExp(
          String.raw`## Faults[\s\S]*\| backup 3 of 4 \(incremental, [^|]*\); backup 4 failed; restored ` +
            String.raw`from 3 \(\+2\.00 s of RPO\) \|`,
        ),
      );
    },
  );

  it("index.html: the point per run in the runs table, and in each run the attempts with the tool's words", () => {
    const html = renderHtml(results);
    expect(html).toMatch(/<td data-sort="3"[^>]*>3 of 4<br><small>after 4 failed<\/small><\/td>/);
    expect(html).toContain("<small>random, seed 918273</small>");
    expect(html).toContain("<strong>Fell back:</strong> backup 4 failed; restored from 3 (+2.00 s of RPO)");
    expect(html).toMatch(
      new RegExp(
        String.raw`<td>backup 4<\/td><td><code><\/code><\/td><td>2026-11-26T09:36:46.000Z<\/td><td ` +
          String.raw`class="no">damaged<\/td><td><q>tar-zstd-restore: zstd: error 70 : Decompression ` +
          String.raw`error: Data corruption detected<\/q><\/td>`,
      ),
    );
    expect(html).toMatch(/<dt>writes lost<\/dt><dd>42 \(newest at the disaster #90, newest restored #48\)<\/dd>/);
  });

  it("junit.xml: the point as a property, the failed points in a failure's text", () => {
    const xml = renderJunit(results);
    expect(xml).toContain(
      '<property name="recoveryPoint" value="backup 3 of 4 (incremental, 1796165867386-incremental.tar.zst)"/>',
    );
    expect(xml).toContain('<property name="writesLost" value="61"/>');
  });

  it("results from before recovery points existed render without them", () => {
    const old = resultsFile([run()]);
    delete (old.results[0] as Partial<(typeof old.results)[0]>).recoveryPoint;
    expect(renderMarkdown(old)).not.toContain("## Recovery points");
    expect(renderHtml(old)).not.toContain("<h4>Recovery point</h4>");
    expect(renderJunit(old)).toContain("<testcase");
  });
});
