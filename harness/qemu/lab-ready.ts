// Waits for the guest's lab line on the VM's console: `MICROSTACK-LAB READY` (every service
// answering and `openstack token issue` working) or FAILED, with a timeout that says what it awaited.
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { EnvironmentError } from "../model/errors.ts";
import { monoMs } from "../util/clock.ts";
import { consoleTail, labStatusLine } from "./console-log.ts";
import { processAlive } from "../images/vm/vm-process.ts";
import type { StartedVm } from "./start-vm.ts";

export async function waitForLabReady(
  vm: StartedVm,
  opts: { timeoutMs?: number } = {},
): Promise<{ readyLine: string; bootToReadyMs: number }> {
  // the guest gives up after labReadySeconds and prints FAILED; wait a little longer than that
  const timeoutMs = opts.timeoutMs ?? (vm.labReadySeconds + 120) * 1000;
  const t0 = monoMs();
  for (;;) {
    const text = await readFile(vm.consoleLog, "utf8").catch(() => "");
    const status = labStatusLine(text);
    if (status?.ready) return { readyLine: status.line, bootToReadyMs: Math.round(monoMs() - vm.spawnedAtMs) };
    if (status)
      throw new EnvironmentError(
        `vm: the lab's services did not come up: "${status.line}"; the console's last lines (${vm.consoleLog}` +
          `):\n${consoleTail(text)}`,
      );
    if (!processAlive(vm.pid))
      throw new EnvironmentError(
        `vm: qemu (pid ${vm.pid}) ended before the lab was ready; the console's last lines:\n${consoleTail(text)}`,
      );
    if (monoMs() - t0 > timeoutMs) {
      throw new EnvironmentError(
        `vm: waited ${Math.round(timeoutMs / 1000)} s for "MICROSTACK-LAB READY" on the console (every service ` +
          `answering and \`openstack token issue\` working), in vain; its last lines (${vm.consoleLog}):\n` +
          `${consoleTail(text)}`,
      );
    }
    await sleep(500);
  }
}
