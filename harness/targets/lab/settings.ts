// Settings a scenario may give the lab target (scenario field `targetSettings.lab`).
import { z } from "zod";

export const labSettings = z
  .object({
    restoreOnto: z
      .enum(["same-node", "fresh-node", "site"])
      .default("same-node")
      .describe(
        "fresh-node: the node is lost; restore into a newly started, freshly initialised lab container (new " +
          "keys and passwords). site: the same, with the new node started at the secondary site (in its " +
          "network), given only the repository's address, its key and the passphrase.",
      ),
    projects: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(3)
      .describe("Projects (each with a user) seeded through Keystone."),
  })
  .strict();

export type LabSettings = z.output<typeof labSettings>;
