// The VM's pure parts: kernel command line, KVM probe cache key, console parsing, qemu's argv,
// known_hosts, disk size, and the image's recipe hash.
import { chmod, cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requestedAccel } from "../../harness/qemu/accel.ts";
import {
  consoleTail,
  hostKeyFromConsole,
  labStatusLine,
  probeReachedRootMount,
} from "../../harness/qemu/console-log.ts";
import { diskSizeBytes } from "../../harness/images/vm/disk-image.ts";
import { authKeyParam, buildKernelCmdline } from "../../harness/qemu/kernel-cmdline.ts";
import { cpuModelFromCpuinfo, parseQemuVersion, probeCacheKey } from "../../harness/qemu/kvm-probe.ts";
import { VM_RECIPE_DIR } from "../../harness/images/vm/names.ts";
import { probeQemuArgs, vmQemuArgs } from "../../harness/qemu/qemu-args.ts";
import { vmRecipeRefs } from "../../harness/images/vm/recipe.ts";
import { knownHostsLine, sshArgs } from "../../harness/qemu/ssh-access.ts";
import { tmp } from "../helpers/tmp.ts";

const PUB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIL0VYOIsCKXW9T51uMaaRTBsrN6w7QuBtIp3B5uQScB drdrill-run";
const BLOB = PUB.split(" ")[1]!;

describe("kernel command line", () => {
  it("carries the run's public key without spaces or comment, the init, the lab mode and the readiness bound", () => {
    const line = buildKernelCmdline({ publicKey: PUB, lab: "fresh", readySeconds: 1500 });
    expect(line.split(" ")).toEqual(
      expect.arrayContaining([
        "console=ttyS0",
        "root=/dev/vda",
        "rw",
        "init=/usr/local/sbin/drdrill-vm-init",
        "panic=-1",
        `drdrill.authkey=ssh-ed25519:${BLOB}`,
        "drdrill.lab=fresh",
        "drdrill.ready=1500",
      ]),
    );
    expect(line).not.toContain("drdrill-run");
    expect(buildKernelCmdline({ publicKey: PUB })).toContain("drdrill.lab=baked drdrill.ready=180");
  });

  it("refuses what is not a public key line (a private key, say)", () => {
    expect(() => authKeyParam("-----BEGIN OPENSSH PRIVATE KEY-----")).toThrow(/not an OpenSSH public key/);
    expect(() => authKeyParam("ssh-ed25519 AAAA;reboot")).toThrow();
    expect(() => authKeyParam("ssh-ed25519")).toThrow();
    expect(authKeyParam(`  ${PUB}\n`)).toBe(`ssh-ed25519:${BLOB}`);
  });
});

describe("KVM probe cache key", () => {
  it("names kernel release, CPU model and qemu version, whitespace-normalised", () => {
    expect(
      probeCacheKey({ kernelRelease: "6.1.0-28-amd64", cpuModel: "AMD  EPYC 7B13\t64-Core", qemuVersion: "7.2.22" }),
    ).toBe("6.1.0-28-amd64 | AMD EPYC 7B13 64-Core | qemu 7.2.22");
    const a = probeCacheKey({ kernelRelease: "6.1", cpuModel: "x", qemuVersion: "7.2.22" });
    expect(probeCacheKey({ kernelRelease: "6.1", cpuModel: "x", qemuVersion: "8.0.0" })).not.toBe(a);
    expect(probeCacheKey({ kernelRelease: "6.2", cpuModel: "x", qemuVersion: "7.2.22" })).not.toBe(a);
  });

  it("reads qemu's version line and /proc/cpuinfo", () => {
    expect(parseQemuVersion("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright ...")).toBe(
      "7.2.22",
    );
    expect(parseQemuVersion("")).toBe("unknown");
    expect(
      cpuModelFromCpuinfo("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t: fpu\n"),
    ).toBe("AMD EPYC");
  });
});

describe("console log", () => {
  const boot = [
    "[   29.979701] EXT4-fs (vda): re-mounted. Quota mode: none.\r",
    `DRDRILL-VM HOSTKEY ssh-ed25519 ${BLOB}\r`,
    "DRDRILL-VM SSHD UP (35.53 s after boot)",
    "21:12:07 microstack-lab: started memcached",
  ].join("\n");

  it("finds the host key on its marked line, without the serial line's carriage return", () => {
    expect(hostKeyFromConsole(boot)).toBe(`ssh-ed25519 ${BLOB}`);
    expect(hostKeyFromConsole("Booting the kernel\n[ 1.0] Run /init as init process\n")).toBeNull();
    // a half-written line (the console is read while qemu writes it) is not a key yet
    expect(hostKeyFromConsole("DRDRILL-VM HOSTKEY ssh-ed2")).toBeNull();
  });

  it("finds the lab's first READY or FAILED line", () => {
    expect(labStatusLine(boot)).toBeNull();
    expect(labStatusLine(`${boot}\nMICROSTACK-LAB READY (baked state, 446 s)\n`)).toEqual({
      ready: true,
      line: "MICROSTACK-LAB READY (baked state, 446 s)",
    });
    expect(labStatusLine(`${boot}\nMICROSTACK-LAB FAILED (baked state)\nService Startup`)).toEqual({
      ready: false,
      line: "MICROSTACK-LAB FAILED (baked state)",
    });
  });

  it("tells when the probe's kernel got to its root mount", () => {
    expect(
      probeReachedRootMount('[ 2.1] VFS: Cannot open root device "drdrill-kvm-probe" or unknown-block(0,0): error -6'),
    ).toBe(true);
    expect(probeReachedRootMount("[ 2.2] Kernel panic - not syncing: VFS: Unable to mount root fs")).toBe(true);
    expect(probeReachedRootMount("[ 0.0] Linux version 6.1.0-57-amd64")).toBe(false);
  });

  it("shows the last non-empty lines, or says the console is empty", () => {
    expect(consoleTail("a\n\nb\nc\n", 2)).toBe("  b\n  c");
    expect(consoleTail("")).toBe("  (the console is empty)");
  });
});

describe("qemu's command line", () => {
  const base = {
    cpus: 2,
    memoryMb: 3072,
    kernel: "/c/vmlinuz",
    initrd: "/c/initrd.img",
    cmdline: "console=ttyS0",
    overlay: "/runs/a,b/overlay.qcow2",
    sshPort: 40123,
    consoleLog: "/runs/console.log",
    pidFile: "/runs/qemu.pid",
  };

  it("forwards only SSH, on 127.0.0.1, to the guest's port 22; the disk is the run's overlay", () => {
    const args = vmQemuArgs({ ...base, accel: "tcg" });
    expect(args.join(" ")).toContain("-accel tcg,thread=multi -smp 2 -m 3072");
    expect(args.filter((a) => a.includes("hostfwd"))).toEqual([
      "user,id=net0,ipv6=off,hostfwd=tcp:127.0.0.1:40123-:22",
    ]);
    expect(args).toContain("file=/runs/a,,b/overlay.qcow2,if=virtio,format=qcow2,discard=unmap");
    expect(args.slice(args.indexOf("-serial"), args.indexOf("-serial") + 2)).toEqual([
      "-serial",
      "file:/runs/console.log",
    ]);
    expect(args.slice(args.indexOf("-pidfile"), args.indexOf("-pidfile") + 2)).toEqual(["-pidfile", "/runs/qemu.pid"]);
    expect(args).toContain("-no-reboot");
  });

  it("uses KVM with the probed CPU model; the probe boots the kernel alone, to its root mount", () => {
    expect(vmQemuArgs({ ...base, accel: "kvm", kvmCpu: "host" }).join(" ")).toContain("-accel kvm -cpu host");
    const probe = probeQemuArgs({ kernel: "/c/vmlinuz", consoleLog: "/t/console.log" }).join(" ");
    expect(probe).toContain("-accel kvm -smp 1");
    expect(probe).not.toContain("-initrd");
    expect(probe).toContain("root=/dev/drdrill-kvm-probe");
  });
});

describe("ssh access", () => {
  it("pins the host key for [127.0.0.1]:PORT and keeps strict checking and batch mode", () => {
    expect(knownHostsLine("127.0.0.1", 40123, `ssh-ed25519 ${BLOB}`)).toBe(`[127.0.0.1]:40123 ssh-ed25519 ${BLOB}\n`);
    const args = sshArgs(
      {
        sshHost: "127.0.0.1",
        sshPort: 40123,
        user: "root",
        identityFile: "/r/id_ed25519",
        knownHostsFile: "/r/known_hosts",
      },
      ["true"],
    );
    expect(args).toEqual(
      expect.arrayContaining([
        "StrictHostKeyChecking=yes",
        "BatchMode=yes",
        "UserKnownHostsFile=/r/known_hosts",
        "IdentitiesOnly=yes",
      ]),
    );
    expect(args.slice(-2)).toEqual(["root@127.0.0.1", "true"]);
  });
});

describe("accelerator request", () => {
  it("defaults to auto, takes DRDRILL_VM_ACCEL, refuses anything else", () => {
    expect(requestedAccel(undefined, {})).toBe("auto");
    expect(requestedAccel(undefined, { DRDRILL_VM_ACCEL: "tcg" })).toBe("tcg");
    expect(requestedAccel("kvm", { DRDRILL_VM_ACCEL: "tcg" })).toBe("kvm");
    expect(() => requestedAccel(undefined, { DRDRILL_VM_ACCEL: "hvf" })).toThrow(/auto, kvm or tcg/);
  });
});

describe("VM image", () => {
  it("sizes its disk as the tree plus ext4's share plus 6 GiB of headroom, in whole MiB", () => {
    const size = diskSizeBytes(1_809_180_744);
    expect(size % 1024 ** 2).toBe(0);
    expect(size).toBeGreaterThan(1_809_180_744 * 1.1 + 6 * 1024 ** 3 - 1);
    expect(size).toBeLessThan(1_809_180_744 * 1.1 + 6 * 1024 ** 3 + 1024 ** 2);
  });

  it(
    "is keyed by ci/vm/image and the lab image: same files " + "same hash, any change (or another lab image) another",
    async () => {
      const copy = async () => {
        const dir = join(await tmp("drdrill-vm-recipe-"), "vm");
        await cp(VM_RECIPE_DIR, dir, { recursive: true });
        return dir;
      };
      const labImage = "drdrill/microstack-lab:0123456789ab";
      const a = await vmRecipeRefs({ labImage, cacheRoot: "/c" });
      expect(a.image).toMatch(/^drdrill\/microstack-vm:[0-9a-f]{12}$/);
      expect(a.dir).toBe(`/c/${a.hash}`);
      const same = await copy();
      await writeFile(join(same, "README.md"), "docs do not change the image\n");
      expect((await vmRecipeRefs({ recipeDir: same, labImage, cacheRoot: "/c" })).hash).toBe(a.hash);
      expect((await vmRecipeRefs({ labImage: "drdrill/microstack-lab:ffffffffffff", cacheRoot: "/c" })).hash).not.toBe(
        a.hash,
      );
      const content = await copy();
      await writeFile(join(content, "image", "initramfs-modules"), "virtio_blk\n");
      expect((await vmRecipeRefs({ recipeDir: content, labImage, cacheRoot: "/c" })).hash).not.toBe(a.hash);
      const mode = await copy();
      await chmod(join(mode, "image", "rootfs", "usr", "local", "sbin", "drdrill-vm-init"), 0o644);
      expect((await vmRecipeRefs({ recipeDir: mode, labImage, cacheRoot: "/c" })).hash).not.toBe(a.hash);
    },
  );
});
