// The VM's kernel command line: serial console, root disk, drdrill's init, and what the init reads
// (the run's public key, the lab mode, how long to wait for readiness). Pure.
import { VM_INIT } from "./names.ts";

export type LabMode = "baked" | "fresh" | "off";

export interface CmdlineOptions {
  /** An OpenSSH public key line, `ssh-ed25519 AAAA... [comment]`; the comment is dropped. */
  publicKey: string;
  lab?: LabMode;
  /** How long the guest waits for every service to answer before it prints FAILED. */
  readySeconds?: number;
}

/** `ssh-ed25519 AAAA... comment` -> `ssh-ed25519:AAAA...` (a kernel parameter holds no spaces). */
export function authKeyParam(publicKey: string): string {
  const [type, blob] = publicKey.trim().split(/\s+/);
  if (!type || !blob || !/^(ssh-|ecdsa-|sk-)[\w@.-]+$/.test(type) || !/^[A-Za-z0-9+/]+={0,3}$/.test(blob)) {
    throw new Error(`not an OpenSSH public key line: "${publicKey.slice(0, 40)}..."`);
  }
  return `${type}:${blob}`;
}

export function buildKernelCmdline(o: CmdlineOptions): string {
  return [
    "console=ttyS0",
    "root=/dev/vda",
    "rootfstype=ext4",
    "rw",
    `init=${VM_INIT}`,
    "net.ifnames=0",
    // a panic ends qemu (with -no-reboot) instead of hanging the run
    "panic=-1",
    `drdrill.authkey=${authKeyParam(o.publicKey)}`,
    `drdrill.lab=${o.lab ?? "baked"}`,
    `drdrill.ready=${Math.max(1, Math.round(o.readySeconds ?? 180))}`,
  ].join(" ");
}

/** The command line of the KVM probe: the kernel alone, which panics (and so ends qemu) at the root mount. */
export const PROBE_CMDLINE = "console=ttyS0 panic=-1 root=/dev/drdrill-kvm-probe";
