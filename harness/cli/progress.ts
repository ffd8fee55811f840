// Progress renderers: a live status line on a TTY (phase, bytes, elapsed), one line per phase in CI.
import type { Progress } from "../model/progress.ts";
import { formatBytes, formatDuration } from "../util/units.ts";

export function createTtyProgress(out: NodeJS.WriteStream = process.stderr): Progress {
  let run = "";
  let phase = "";
  let detail = "";
  let bytes = "";
  let phaseStart = Date.now();
  let runStart = Date.now();
  const draw = () => {
    const line = `${run}  ${phase}${detail ? ` (${detail})` : ""}${bytes ? `  ${bytes}` : ""}  ${formatDuration(Date.now() - phaseStart)}  [run ${formatDuration(Date.now() - runStart)}]`;
    out.write(`\r\x1b[2K${line.slice(0, (out.columns || 120) - 1)}`);
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    wantsBytes: true,
    runStart(label, index, total) {
      run = `[${index + 1}/${total}] ${label}`;
      runStart = Date.now();
    },
    phase(name, d) {
      phase = name;
      detail = d ?? "";
      bytes = "";
      phaseStart = Date.now();
      draw();
    },
    bytes(done, total) {
      bytes = total ? `${formatBytes(done)} / ${formatBytes(total)}` : formatBytes(done);
    },
    phaseEnd() {},
    runEnd(summary, ok) {
      out.write(`\r\x1b[2K${ok ? "ok  " : "!!  "}${run}: ${summary} (${formatDuration(Date.now() - runStart)})\n`);
    },
    warn(text) {
      out.write(`\r\x1b[2Kwarning: ${text}\n`);
    },
    close() {
      clearInterval(timer);
    },
  };
}

export function createLineProgress(out: NodeJS.WritableStream = process.stderr): Progress {
  let run = "";
  return {
    runStart(label, index, total) {
      run = `[${index + 1}/${total}] ${label}`;
      out.write(`${run}\n`);
    },
    phase() {},
    bytes() {},
    phaseEnd(name, ok, ms, detail) {
      out.write(`  ${name}${detail ? ` (${detail})` : ""}: ${ok ? "done" : "FAILED"} in ${formatDuration(ms)}\n`);
    },
    runEnd(summary) {
      out.write(`  => ${summary}\n`);
    },
    warn(text) {
      out.write(`  warning: ${text}\n`);
    },
    close() {},
  };
}
