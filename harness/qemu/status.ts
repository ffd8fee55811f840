// `drdrill vm status`: is the image for the current recipe built, what the KVM probe said, which VMs run.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { vmCacheRoot } from "../images/vm/names.ts";
import { hostProbeKey, probeCacheKey, type KvmProbe } from "./kvm-probe.ts";
import { vmRecipeRefs } from "../images/vm/recipe.ts";
import { sshCommandLine } from "./ssh-access.ts";
import { listVms } from "../images/vm/vm-registry.ts";

export async function vmStatus(): Promise<string[]> {
  const refs = await vmRecipeRefs();
  const manifest = JSON.parse(await readFile(join(refs.dir, "image.json"), "utf8").catch(() => "null")) as {
    kernelRelease: string;
    diskBytes: number;
  } | null;
  const disk = manifest ? await stat(join(refs.dir, "disk.raw")).catch(() => null) : null;
  const lines = [
    manifest && disk
      ? `image ${refs.hash}: built (${refs.dir}; kernel ${manifest.kernelRelease}; disk ` +
        `${(manifest.diskBytes / 1e9).toFixed(1)} GB, ${((disk.blocks * 512) / 1e9).toFixed(2)} GB used) from ` +
        `${refs.labImage}`
      : `image ${refs.hash}: not built (drdrill vm build) from ${refs.labImage}`,
  ];
  const probes = JSON.parse(await readFile(join(vmCacheRoot(), "kvm-probe.json"), "utf8").catch(() => "{}")) as Record<
    string,
    KvmProbe
  >;
  const probe = probes[probeCacheKey(await hostProbeKey())];
  lines.push(
    probe
      ? `kvm: ` +
          (probe.works
            ? `boots a guest (-cpu ${probe.cpu ?? "default"})`
            : "does not boot a guest here: VMs run emulated (TCG)") +
          `; probed ${probe.probedAt}`
      : "kvm: not probed yet (the first vm start probes it)",
  );
  const vms = await listVms();
  if (vms.length === 0) lines.push("vms: none");
  for (const v of vms)
    lines.push(
      `vm ${v.id} (${v.role}, pid ${v.pid}, ${v.accel}, since ${v.startedAt}): ` +
        `${sshCommandLine({ ...v, sshHost: "127.0.0.1", user: "root" })}`,
    );
  return lines;
}
