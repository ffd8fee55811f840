// Settings of the vm target (`targetSettings.vm`): the VM's size and accelerator, and what its
// services are: the lab's OpenStack services (the same as the lab container's), or drdrill's own
// load writer in the data (auto: the lab's under KVM; under emulation, where they take minutes to
// start, the writer).
import { z } from "zod";

export const vmSettings = z
  .object({
    accel: z
      .enum(["auto", "kvm", "tcg"])
      .default("auto")
      .describe("auto: KVM where a probe boot says it works (cached per machine), else emulated (TCG)."),
    memoryMb: z.number().int().min(1024).max(65536).default(3072),
    cpus: z.number().int().min(1).max(64).default(2),
    services: z
      .enum(["auto", "lab", "load-writer"])
      .default("auto")
      .describe(
        "lab: the lab's OpenStack services (snap stop|start microstack); load-writer: drdrill's writer in the " +
          "data; auto: lab under KVM, load-writer when emulated.",
      ),
  })
  .strict();

export type VmSettings = z.output<typeof vmSettings>;
