// The VM's costs, measured once on this machine (not part of `npm run bench`: ~15 minutes under TCG):
// image build (cached check), boot to SSH, boot to the lab's READY line, memory used, snap stop /
// snap start, `microstack.openstack token issue`, duplicity full backup and restore of 20 MB.
//   node --import tsx bench/vm-lab.ts [MEMORY_MB]      prints one JSON object
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildVmImage } from "../harness/images/vm/build.ts";
import { waitForLabReady } from "../harness/qemu/lab-ready.ts";
import { startVm } from "../harness/qemu/start-vm.ts";
import { sshRun } from "../harness/qemu/ssh-access.ts";
import { monoMs } from "../harness/util/clock.ts";

const say = (l: string) => process.stderr.write(`bench vm: ${l}\n`);
const memoryMb = Number(process.argv[2] ?? 3072);
const out: Record<string, unknown> = { memoryMb };

const build = await buildVmImage({ say });
out.build = {
  cached: build.cached,
  ms: Math.round(build.ms),
  dockerMs: Math.round(build.dockerMs),
  exportMs: Math.round(build.exportMs),
  diskMs: Math.round(build.diskMs),
};

const dir = await mkdtemp(join(tmpdir(), "drdrill-vm-bench-"));
const vm = await startVm({ runDir: dir, memoryMb, say });
try {
  out.accel = vm.accel;
  out.bootToSshMs = vm.bootToSshMs;
  const ready = await waitForLabReady(vm);
  out.bootToReadyMs = ready.bootToReadyMs;
  out.readyLine = ready.readyLine;

  /** Runs one command in the guest; its wall time as seen from here, exit code and last line. */
  const timed = async (label: string, command: string) => {
    const t0 = monoMs();
    const r = await sshRun(vm, command, { timeoutMs: 900_000 });
    const row = {
      ms: Math.round(monoMs() - t0),
      exitCode: r.exitCode,
      last: (r.stdout + r.stderr).trim().split("\n").at(-1) ?? "",
    };
    say(`${label}: ${JSON.stringify(row)}`);
    out[label] = row;
    return row;
  };
  await timed("sshTrue", "true");
  await timed("memoryUsedMiB", "free -m | awk '/^Mem:/ {print $3}'");
  await timed("tokenIssue1", "microstack.openstack token issue -f value -c expires");
  await timed("tokenIssue2", "microstack.openstack token issue -f value -c expires");
  await timed("snapStop", "snap stop microstack");
  await timed("snapStart", "snap start microstack");
  await timed(
    "untilHealthyAfterStart",
    "until microstack-lab-ctl health >/dev/null 2>&1; do sleep 2; done; microstack-lab-ctl health",
  );
  await timed(
    "makeData20MB",
    "rm -rf /var/tmp/b && mkdir -p /var/tmp/b/src && for i in $(seq 20); do head -c 1000000 /dev/urandom > " +
      "/var/tmp/b/src/f$i; done",
  );
  await timed(
    "duplicityFull20MB",
    "cd /var/tmp/b && PASSPHRASE=bench duplicity full --no-print-statistics src file:///var/tmp/b/repo >/dev/null",
  );
  await timed(
    "duplicityRestore20MB",
    "cd /var/tmp/b && PASSPHRASE=bench duplicity restore file:///var/tmp/b/repo rs >/dev/null && diff -r src " +
      "rs && echo identical",
  );
  await timed("memoryUsedMiBAfter", "free -m | awk '/^Mem:/ {print $3}'");
} finally {
  const t0 = monoMs();
  await vm.stop();
  out.stopMs = Math.round(monoMs() - t0);
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
