// Takes the wrapper's marks out of a command's stderr: the start line (`\x1edrdrill-pgid N`, which
// reports the group id) and the stats after END_MARK (returned at the end).
import { END_MARK, START_MARK } from "./remote-wrapper.ts";

export interface WrapperMarks {
  /** Feed a stderr chunk; returns the command's own text in it (may hold back a partial mark). */
  push(text: string): string;
  /** At the end of the stream: what was held back, and the stats text (null: no END_MARK came). */
  end(): { rest: string; stats: string | null };
}

/** How much of `s`'s end could be the start of `mark` (so it must wait for the next chunk). */
function partialTail(s: string, mark: string): number {
  for (let n = Math.min(s.length, mark.length - 1); n > 0; n--) if (mark.startsWith(s.slice(-n))) return n;
  return 0;
}

export function wrapperMarks(onStart: (pgid: number) => void): WrapperMarks {
  let state: "before" | "running" | "stats" = "before";
  let pending = "";
  let stats = "";
  return {
    push(text: string): string {
      if (state === "stats") {
        stats += text;
        return "";
      }
      pending += text;
      let out = "";
      while (state === "before") {
        const nl = pending.indexOf("\n");
        if (nl < 0) return out;
        const line = pending.slice(0, nl + 1);
        pending = pending.slice(nl + 1);
        const m = line.startsWith(START_MARK) ? /^(\d+)\n$/.exec(line.slice(START_MARK.length)) : null;
        if (m) {
          state = "running";
          onStart(Number(m[1]));
        } else out += line;
      }
      const at = pending.indexOf(END_MARK);
      if (at >= 0) {
        out += pending.slice(0, at);
        stats = pending.slice(at + END_MARK.length);
        pending = "";
        state = "stats";
        return out;
      }
      const keep = partialTail(pending, END_MARK);
      out += pending.slice(0, pending.length - keep);
      pending = pending.slice(pending.length - keep);
      return out;
    },
    end() {
      const rest = pending;
      pending = "";
      return { rest, stats: state === "stats" ? stats : null };
    },
  };
}
