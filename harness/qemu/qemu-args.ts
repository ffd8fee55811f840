// qemu's command line for a drill VM and for the KVM probe. Pure: every path and number comes in.
import { PROBE_CMDLINE } from "./kernel-cmdline.ts";
import { GUEST_SSH_PORT } from "./names.ts";

export type Accel = "kvm" | "tcg";

export interface VmQemuOptions {
  accel: Accel;
  /** KVM's CPU model (`host` where it works); TCG uses qemu's default model. */
  kvmCpu?: string;
  cpus: number;
  memoryMb: number;
  kernel: string;
  initrd: string;
  cmdline: string;
  /** The run's qcow2 overlay (its backing file is the cached raw base). */
  overlay: string;
  sshPort: number;
  consoleLog: string;
  pidFile: string;
}

/** qemu reads `,` in an option value as the next option: a path with one doubles it. */
export const qemuValue = (s: string): string => s.replace(/,/g, ",,");

function accelArgs(accel: Accel, kvmCpu?: string): string[] {
  return accel === "kvm" ? ["-accel", "kvm", ...(kvmCpu ? ["-cpu", kvmCpu] : [])] : ["-accel", "tcg,thread=multi"];
}

const common = (consoleLog: string) => [
  "-nodefaults",
  "-no-user-config",
  "-display",
  "none",
  "-monitor",
  "none",
  "-no-reboot",
  "-serial",
  `file:${consoleLog}`,
];

export function vmQemuArgs(o: VmQemuOptions): string[] {
  return [
    ...common(o.consoleLog),
    ...accelArgs(o.accel, o.kvmCpu),
    "-smp",
    String(o.cpus),
    "-m",
    String(o.memoryMb),
    "-kernel",
    o.kernel,
    "-initrd",
    o.initrd,
    "-append",
    o.cmdline,
    "-drive",
    `file=${qemuValue(o.overlay)},if=virtio,format=qcow2,discard=unmap`,
    // user-mode networking: the guest is 10.0.2.15, only its SSH port is reachable, from this host only
    "-netdev",
    `user,id=net0,ipv6=off,hostfwd=tcp:127.0.0.1:${o.sshPort}-:${GUEST_SSH_PORT}`,
    "-device",
    "virtio-net-pci,netdev=net0",
    "-device",
    "virtio-rng-pci",
    "-pidfile",
    o.pidFile,
  ];
}

/** The probe: the kernel alone under KVM, one CPU; it panics at the root mount, which ends qemu. */
export function probeQemuArgs(o: { kvmCpu?: string; kernel: string; consoleLog: string }): string[] {
  return [
    ...common(o.consoleLog),
    ...accelArgs("kvm", o.kvmCpu),
    "-smp",
    "1",
    "-m",
    "256",
    "-kernel",
    o.kernel,
    "-append",
    PROBE_CMDLINE,
  ];
}
