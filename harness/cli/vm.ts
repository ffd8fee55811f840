// `drdrill vm build|start|stop|status`: the MicroStack VM image and a VM to poke at, like `drdrill lab`.
import { readdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { EnvironmentError } from "../model/errors.ts";
import type { AccelRequest } from "../qemu/accel.ts";
// The VM's modules (qemu, images, ssh) are loaded by the action that needs them: declaring these
// commands for --help loads none of them.

const MANUAL_NAME = "drdrill-vm";
const say = (line: string) => process.stderr.write(`vm: ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const vmCacheRoot = async () => (await import("../images/vm/names.ts")).vmCacheRoot();
const manualRunDir = async (name: string) => join(await vmCacheRoot(), "manual", name);

/** Runs a vm action; environment problems print one line and exit 3. */
async function guarded(fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (e) {
    if (e instanceof EnvironmentError) {
      process.stderr.write(`drdrill vm: ${e.message}\n`);
      return 3;
    }
    throw e;
  }
}

/** Ctrl-C while a VM boots: its qemu (own process group) is killed, then exit 130. */
async function killVmsOnInterrupt(): Promise<() => void> {
  const { killAllGroups } = await import("../exec/live-groups.ts");
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: stopping the VM`);
    void killAllGroups(1000).then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

interface StartOptions {
  name: string;
  memory?: string;
  cpus?: string;
  accel?: AccelRequest;
  wait: boolean;
  lab: "baked" | "fresh" | "off";
}

export function registerVmCommands(program: Command, setExitCode: (code: number) => void): void {
  const vm = program
    .command("vm")
    .description("The MicroStack VM: image (build) and a VM to poke at over SSH (start, stop, status)");

  vm.command("build")
    .description("Build the VM disk, kernel and initrd from the lab image and ci/vm; a no-op when both are unchanged")
    .option("--force", "rebuild even if the image for this recipe exists")
    .action(async (o: { force?: boolean }) => {
      setExitCode(
        await guarded(async () => {
          const { buildVmImage } = await import("../images/vm/build.ts");
          const r = await buildVmImage({ force: Boolean(o.force), say });
          if (r.cached) say(`${r.hash} is up to date (${r.dir}; checked in ${seconds(r.ms)})`);
          else
            say(
              `built ${r.hash} in ${seconds(r.ms)} (lab image ${r.labMs ? seconds(r.labMs) : "cached"}, docker ` +
                `build ${r.dockerMs ? seconds(r.dockerMs) : "cached"}, export ${seconds(r.exportMs)}, disk ` +
                `${seconds(r.diskMs)}): ${r.dir}`,
            );
        }),
      );
    });

  vm.command("start")
    .description(
      `Boot a VM named ${MANUAL_NAME} (or --name), wait for SSH and the lab's services, and leave it running`,
    )
    .option("--name <name>", "VM name (its folder is under the cache)", MANUAL_NAME)
    .option("--memory <mb>", "guest memory in MiB (default 3072)")
    .option("--cpus <n>", "guest CPUs (default 2)")
    .option("--accel <accel>", "auto (KVM where it boots a guest, else TCG), kvm or tcg")
    .option("--lab <mode>", "baked (unpack the baked cloud), fresh (a real init) or off (no services)", "baked")
    .option("--no-wait", "return once SSH answers, without waiting for the lab's services")
    .action(async (o: StartOptions) => {
      setExitCode(
        await guarded(async () => {
          if (!/^[\w.-]+$/.test(o.name))
            throw new EnvironmentError(`--name "${o.name}": letters, digits, ".", "_" and "-" only`);
          const [{ listVms }, { startVm }, { waitForLabReady }, { sshCommandLine }] = await Promise.all([
            import("../images/vm/vm-registry.ts"),
            import("../qemu/start-vm.ts"),
            import("../qemu/lab-ready.ts"),
            import("../qemu/ssh-access.ts"),
          ]);
          const runDir = await manualRunDir(o.name);
          if ((await listVms()).some((v) => v.runDir === resolve(runDir)))
            throw new EnvironmentError(
              `a VM named ${o.name} is running already (drdrill vm status; drdrill vm stop --name ${o.name})`,
            );
          const release = await killVmsOnInterrupt();
          try {
            const v = await startVm({
              runDir,
              role: "manual",
              say,
              lab: o.lab,
              ...(o.memory ? { memoryMb: Number(o.memory) } : {}),
              ...(o.cpus ? { cpus: Number(o.cpus) } : {}),
              ...(o.accel ? { accel: o.accel } : {}),
            });
            say(
              `SSH answers after ${seconds(v.bootToSshMs)} (${v.accel}${v.emulated ? ", emulated" : ""}, qemu ` +
                `pid ${v.pid})`,
            );
            if (o.wait && o.lab !== "off") {
              const r = await waitForLabReady(v);
              say(`lab ready ${seconds(r.bootToReadyMs)} after boot: ${r.readyLine}`);
            }
            const ssh = sshCommandLine(v);
            process.stdout.write(
              [
                `${ssh}`,
                `${ssh} microstack.openstack token issue`,
                `${ssh} snap services microstack`,
                `${ssh} snap stop microstack      # and: snap start microstack`,
                `console: ${v.consoleLog}`,
                `drdrill vm stop --name ${o.name}     # or drdrill vm stop: every drdrill VM`,
              ].join("\n") + "\n",
            );
          } finally {
            release();
          }
        }),
      );
    });

  vm.command("stop")
    .description("Stop VMs: every VM drdrill runs on this host, or only --name")
    .option("--name <name>", "only this VM (started with drdrill vm start --name)")
    .action(async (o: { name?: string }) => {
      setExitCode(
        await guarded(async () => {
          const { listVms, stopRecordedVm } = await import("../images/vm/vm-registry.ts");
          const all = await listVms();
          const named = o.name ? resolve(await manualRunDir(o.name)) : undefined;
          const chosen = named ? all.filter((v) => v.runDir === named) : all;
          for (const v of chosen) await stopRecordedVm(v);
          // the folders (overlay, keys, console) of manual VMs that no longer run, also ones powered off inside
          const live = new Set((await listVms()).map((v) => v.runDir));
          const names = o.name ? [o.name] : await readdir(join(await vmCacheRoot(), "manual")).catch(() => []);
          for (const n of names) {
            const dir = await manualRunDir(n);
            if (!live.has(resolve(dir))) await rm(dir, { recursive: true, force: true });
          }
          say(chosen.length > 0 ? `stopped ${chosen.map((v) => v.id).join(", ")}` : "no VMs running");
        }),
      );
    });

  vm.command("status")
    .description("Show whether the image for the current recipe is built, what the KVM probe said, and the running VMs")
    .action(async () => {
      setExitCode(
        await guarded(async () => {
          const { vmStatus } = await import("../qemu/status.ts");
          process.stdout.write(`${(await vmStatus()).join("\n")}\n`);
        }),
      );
    });
}
