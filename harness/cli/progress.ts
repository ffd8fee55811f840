// Progress renderers: a live status line on a TTY (phase, bytes, elapsed; one part per run when
// runs go at once), one line per phase in CI (each line tagged with its run when runs go at once).
import type { Progress } from "../model/progress.ts";
import { formatBytes, formatDuration } from "../util/units.ts";

interface Slot {
  run: string;
  phase: string;
  detail: string;
  bytes: string;
  phaseStart: number;
  runStart: number;
  active: boolean;
}

export function createTtyProgress(out: NodeJS.WriteStream = process.stderr): Progress {
  const slots: Slot[] = [];
  const draw = () => {
    const active = slots.filter((s) => s.active);
    const part = (s: Slot, full: boolean) =>
      full
        ? `${s.run}  ${s.phase}${s.detail ? ` (${s.detail})` : ""}${s.bytes ? `  ${s.bytes}` : ""}  ` +
          `${formatDuration(Date.now() - s.phaseStart)}  [run ${formatDuration(Date.now() - s.runStart)}]`
        : `${s.run.split(" ")[0]} ${s.phase} ${formatDuration(Date.now() - s.phaseStart)}`;
    const line = active.map((s) => part(s, active.length === 1)).join("  ·  ");
    out.write(`\r\x1b[2K${line.slice(0, (out.columns || 120) - 1)}`);
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  const slotProgress = (slot: Slot): Progress => ({
    wantsBytes: true,
    runStart(label, index, total) {
      Object.assign(slot, {
        run: `[${index + 1}/${total}] ${label}`,
        runStart: Date.now(),
        phase: "",
        detail: "",
        bytes: "",
        active: true,
      });
    },
    phase(name, d) {
      Object.assign(slot, { phase: name, detail: d ?? "", bytes: "", phaseStart: Date.now() });
      draw();
    },
    bytes(done, total) {
      slot.bytes = total ? `${formatBytes(done)} / ${formatBytes(total)}` : formatBytes(done);
    },
    phaseEnd() {},
    runEnd(summary, ok) {
      slot.active = false;
      out.write(
        `\r\x1b[2K${ok ? "ok  " : "!!  "}${slot.run}: ${summary} (${formatDuration(Date.now() - slot.runStart)})\n`,
      );
      draw();
    },
    warn(text) {
      out.write(`\r\x1b[2Kwarning: ${text}\n`);
    },
    close() {
      clearInterval(timer);
    },
    forRun() {
      const s: Slot = {
        run: "",
        phase: "",
        detail: "",
        bytes: "",
        phaseStart: Date.now(),
        runStart: Date.now(),
        active: false,
      };
      slots.push(s);
      return { ...slotProgress(s), close() {} };
    },
  });
  const main: Slot = {
    run: "",
    phase: "",
    detail: "",
    bytes: "",
    phaseStart: Date.now(),
    runStart: Date.now(),
    active: false,
  };
  slots.push(main);
  return slotProgress(main);
}

export function createLineProgress(out: NodeJS.WritableStream = process.stderr): Progress {
  const lines = (tagged: boolean): Progress => {
    let run = "";
    let tag = "";
    return {
      runStart(label, index, total) {
        run = `[${index + 1}/${total}] ${label}`;
        tag = tagged ? `[${index + 1}/${total}] ` : "";
        out.write(`${run}\n`);
      },
      phase() {},
      bytes() {},
      phaseEnd(name, ok, ms, detail) {
        out.write(
          `  ${tag}${name}${detail ? ` (${detail})` : ""}: ${ok ? "done" : "FAILED"} in ${formatDuration(ms)}\n`,
        );
      },
      runEnd(summary) {
        out.write(`  ${tag}=> ${summary}\n`);
      },
      warn(text) {
        out.write(`  ${tag}warning: ${text}\n`);
      },
      close() {},
      forRun: () => lines(true),
    };
  };
  return lines(false);
}
