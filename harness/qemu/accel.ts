// Which accelerator a VM gets: KVM where it really boots a guest (the probe says), else TCG
// emulation, with a warning that its timings are emulated and not comparable.
import { probeKvm } from "./kvm-probe.ts";
import type { Accel } from "./qemu-args.ts";

export type AccelRequest = "auto" | "kvm" | "tcg";

export interface AccelChoice {
  accel: Accel;
  kvmCpu?: string;
  emulated: boolean;
  /** Why this accelerator, in one line. */
  reason: string;
}

/** `DRDRILL_VM_ACCEL=auto|kvm|tcg` when the caller does not say. */
export function requestedAccel(opt: AccelRequest | undefined, env: NodeJS.ProcessEnv = process.env): AccelRequest {
  const v = opt ?? env.DRDRILL_VM_ACCEL ?? "auto";
  if (v !== "auto" && v !== "kvm" && v !== "tcg")
    throw new Error(`DRDRILL_VM_ACCEL / accel must be auto, kvm or tcg, not "${v}"`);
  return v;
}

export async function chooseAccel(
  req: AccelRequest,
  kernel: string,
  say: (line: string) => void,
): Promise<AccelChoice> {
  if (req === "tcg") return { accel: "tcg", emulated: true, reason: "TCG asked for" };
  // asked for KVM: no probe (the person knows), with the host's CPU model as on any working KVM
  if (req === "kvm") return { accel: "kvm", kvmCpu: "host", emulated: false, reason: "KVM asked for" };
  const probe = await probeKvm({ kernel, say });
  if (probe.works)
    return {
      accel: "kvm",
      ...(probe.cpu ? { kvmCpu: probe.cpu } : {}),
      emulated: false,
      reason: `KVM boots a guest here (${probe.cached ? "cached probe" : "probed"})`,
    };
  say(
    `KVM does not boot a guest on this machine (${probe.detail.replace(/\n\s*/g, " ")}` +
      `${probe.cached ? "; cached probe" : ""}): using TCG emulation. Timings are emulated, several times ` +
      `slower, and not comparable with KVM or bare metal.`,
  );
  return { accel: "tcg", emulated: true, reason: "KVM probe failed" };
}
