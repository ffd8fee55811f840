// Where a scenario's backups go (`destination`): a local folder of the target (the default), or a
// secondary site, "site B": a container drdrill stands up (sshd from Debian's packages), or an
// existing host reached over SSH. Append-only: the key the target holds can write, never delete.
// What keeps the backups there is a store (`store`, harness/stores/): the scenario's schema names the
// stores of its registry; absent, the registry's first.
import { z } from "zod";

/** The site's settings, with `store` one of these names (any name: the settings' own shape). */
function siteSettingsOf(stores: readonly string[] | null) {
  const store = stores ? z.enum(stores as [string, ...string[]]) : z.string();
  const which = stores ? `: ${stores.join(", ")} (default ${stores[0]})` : "";
  return z
    .object({
      store: store.optional().describe(`What keeps the backups at site B${which}.`),
      appendOnly: z
        .boolean()
        .default(false)
        .describe(
          "The target's key may add backups but never delete them (borg serve --append-only; " +
            "an SFTP server that refuses remove; an append-only store for tar).",
        ),
      host: z
        .string()
        .min(1)
        .optional()
        .describe("An existing SSH host as site B, instead of a container drdrill stands up."),
      user: z.string().min(1).optional().describe("The account backups go to on that host."),
      port: z.number().int().min(1).max(65535).optional(),
      identityFile: z
        .string()
        .min(1)
        .optional()
        .describe("The key for that account (it is copied to where the tools run)."),
      knownHostsFile: z.string().min(1).optional().describe("Pins that host's key."),
      path: z
        .string()
        .startsWith("/")
        .default("/srv/drdrill")
        .describe("The folder on site B that holds the runs' repositories."),
    })
    .strict()
    .superRefine((s, ctx) => {
      if (s.host && !s.identityFile)
        ctx.addIssue({
          code: "custom",
          message: "an existing site host needs identityFile (the key the target will use there)",
          path: ["identityFile"],
        });
      if (s.host && s.appendOnly)
        ctx.addIssue({
          code: "custom",
          message:
            "append-only is set up on the container site drdrill stands up; " +
            "on your own host, make the account append-only yourself and leave this off",
          path: ["appendOnly"],
        });
    });
}

export const siteSettings = siteSettingsOf(null);

export type SiteSettings = z.output<typeof siteSettings>;

/** `destination`, with the stores a scenario may name. */
export function createDestinationSchema(stores: readonly string[]) {
  return z
    .union([z.enum(["local", "site"]), z.object({ site: siteSettingsOf(stores) }).strict()])
    .default("local")
    .describe(
      "Where backups go: local (a folder of the target), site (a secondary site drdrill stands up), " +
        "or { site: { store, appendOnly, host... } }.",
    );
}

export type DestinationSpec = "local" | "site" | { site: SiteSettings };

/** The site's settings, or null for a local destination. */
export function siteOf(d: DestinationSpec): SiteSettings | null {
  if (d === "local") return null;
  if (d === "site") return siteSettings.parse({});
  return d.site;
}
