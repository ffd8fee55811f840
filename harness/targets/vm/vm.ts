// The `vm` target: MicroStack in a real VM that drdrill boots (qemu, its own kernel, an image built
// from the lab's recipe, a copy-on-write overlay per run), then drilled exactly as the ssh target
// drills any host. Under emulation (no working KVM) it says so, loudly, in the output and results.
import { join } from "node:path";
import { EnvironmentError } from "../../model/errors.ts";
import { buildVmImage } from "../../images/vm/build.ts";
import { chooseAccel, requestedAccel } from "../../qemu/accel.ts";
import { startVm } from "../../qemu/start-vm.ts";
import { waitForLabReady } from "../../qemu/lab-ready.ts";
import { writerServices } from "../../ssh/remote-services.ts";
import { sshSettings } from "../ssh/settings.ts";
import { smallFilesystem } from "../../rules/target-abilities.ts";
import { startSsh } from "../ssh/ssh.ts";
import type { StartedTarget, Target, TargetOptions } from "../target.ts";
import { vmLabServices } from "./lab-services.ts";
import { vmSettings } from "./settings.ts";

/** A scenario's tool timeout is multiplied by this in an emulated guest (TCG runs the tools ~5-10x slower). */
export const EMULATED_TIME_SCALE = 10;
export const EMULATED_WARNING =
  `VM timings are emulated (qemu TCG, no working KVM on this machine): they are not comparable with KVM, ` +
  `containers or real hosts; scenario timeouts are multiplied by ${EMULATED_TIME_SCALE}`;

export const vmTarget: Target = {
  name: "vm",
  description:
    "MicroStack in a qemu VM drdrill boots from an image built from the lab's recipe (KVM where it works, else " +
    "emulated), drilled over SSH.",
  settings: vmSettings as never,
  // Drilled as the ssh target drills a host: what that can do, the VM can.
  provides: [smallFilesystem],
  async start(opts: TargetOptions): Promise<StartedTarget> {
    const s = vmSettings.parse(opts.settings ?? {});
    const say = (line: string) => opts.journal.emit("note", { text: line });
    const image = await buildVmImage({ say });
    // The accelerator first (a probe boot, cached per machine): the lab's services take minutes to start emulated.
    const choice = await chooseAccel(requestedAccel(s.accel), image.kernel, say);
    const services = s.services === "auto" ? (choice.emulated ? "load-writer" : "lab") : s.services;
    const started = await startVm({
      runDir: join(opts.workDir, "vm"),
      memoryMb: s.memoryMb,
      cpus: s.cpus,
      accel: choice.accel,
      say,
      lab: services === "lab" ? "baked" : "off",
    });
    try {
      let readyMs: number | null = null;
      if (services === "lab") readyMs = (await waitForLabReady(started)).bootToReadyMs;
      const ssh = sshSettings.parse({
        host: started.sshHost,
        port: started.sshPort,
        user: started.user,
        identityFile: started.identityFile,
        knownHostsFile: started.knownHostsFile,
        seed: services === "lab" ? "existing" : "generate",
        services: "none",
      });
      const t = await startSsh(opts, ssh, "vm");
      await t.chooseServices(
        services === "lab"
          ? vmLabServices(t.host.conn, { healthWaitMs: started.emulated ? 1_200_000 : 180_000 })
          : writerServices(t.host, t.data),
      );
      if (started.emulated) opts.journal.emit("warning", { text: EMULATED_WARNING });
      const stopSsh = t.stop.bind(t);
      const describeSsh = t.describe.bind(t);
      return Object.assign(t, {
        timeScale: started.emulated ? EMULATED_TIME_SCALE : 1,
        async stop() {
          await stopSsh().catch(() => {});
          await started.stop();
        },
        describe: () => ({
          ...describeSsh(),
          kind: "vm",
          accel: started.emulated ? `tcg (emulated: ${EMULATED_WARNING})` : started.accel,
          bootToSshMs: String(Math.round(started.bootToSshMs)),
          ...(readyMs !== null ? { bootToLabReadyMs: String(Math.round(readyMs)) } : {}),
          vmServices: services,
        }),
      });
    } catch (e) {
      await started.stop();
      throw e instanceof Error ? e : new EnvironmentError(String(e));
    }
  },
};
