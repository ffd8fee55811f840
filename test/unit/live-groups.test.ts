// Ctrl-C kills every live group: local ones by pid, remote ones through the killers their executors registered.
import { execa } from "execa";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { killAllGroups, trackGroup, trackKiller } from "../../harness/exec/live-groups.ts";

const alive = async (pid: number) => {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return status !== "" && !/^State:\s+Z/m.test(status);
};

describe("killAllGroups", () => {
  it(
    "kills local groups and calls remote killers with " + "SIGTERM, then SIGKILL; forgotten killers are not called",
    async () => {
      const child = execa("sleep", ["300"], { detached: true, reject: false });
      trackGroup(child.pid!);
      const calls: string[] = [];
      trackKiller(async (sig) => void calls.push(`a:${sig}`));
      const forget = trackKiller(async (sig) => void calls.push(`b:${sig}`));
      forget();
      trackKiller(async () => {
        throw new Error("host gone");
      });
      expect(await killAllGroups(50)).toBe(3);
      await child;
      expect(await alive(child.pid!)).toBe(false);
      expect(calls).toEqual(["a:SIGTERM", "a:SIGKILL"]);
      expect(await killAllGroups(50)).toBe(0);
    },
  );
});
