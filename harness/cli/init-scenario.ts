// The first scenario `drdrill init` writes: the seed drill's shape (full backup, load, the data deleted,
// restore, verify) for the user's data, a folder on this machine (dataset.copyFrom), a host reached over
// SSH, or generated data; commented so it can be read and changed without the docs open.

/** The backup tools init offers, with the settings of the seed drill's runs of them. */
export const INIT_TOOLS: Record<string, { settings: string; note: string }> = {
  restic: {
    settings: "{ passphrase: { env: DRDRILL_PASSPHRASE } }",
    note: "restic's repository key",
  },
  borg: {
    settings: "{ encryption: repokey-blake2, compression: lz4, passphrase: { env: DRDRILL_PASSPHRASE } }",
    note: "borg's repository key",
  },
  duplicity: {
    settings: "{ encryption: gpg-symmetric, passphrase: { env: DRDRILL_PASSPHRASE } }",
    note: "GnuPG's symmetric passphrase",
  },
  "tar-zstd": { settings: "{}", note: "" },
};

/** Where the drilled data comes from. */
export type InitData =
  | { kind: "generated" }
  | { kind: "folder"; path: string }
  | { kind: "ssh"; host: string; user?: string; dataDir: string };

export interface InitChoices {
  name: string;
  data: InitData;
  tools: string[];
  /** The schema's path as the scenario file sees it (relative, or absolute). */
  schemaRef: string;
  /** How the user calls drdrill (npx drdrill, drdrill, node PATH/bin/drdrill.js). */
  drdrill: string;
  /** The scenario file, as the user names it from where they run drdrill. */
  file: string;
}

/** `[user@]host:/path` (scp's form) as an SSH data directory; undefined for anything else. */
export function parseSshData(text: string): Extract<InitData, { kind: "ssh" }> | undefined {
  const m = /^(?:([^@:/\s]+)@)?([^@:/\s]+):(\/\S*)$/.exec(text);
  if (!m) return undefined;
  return { kind: "ssh", ...(m[1] ? { user: m[1] } : {}), host: m[2]!, dataDir: m[3]!.replace(/(.)\/+$/, "$1") };
}

const yamlString = (s: string) => (/^[\w./@~+-]+$/.test(s) ? s : JSON.stringify(s));

function dataLines(data: InitData): string[] {
  switch (data.kind) {
    case "generated":
      return [
        "# What is drilled: 50 MB of generated files shaped like MicroStack's state (the same every run).",
        "# To drill a copy of a folder of yours instead: dataset: { copyFrom: /absolute/path }",
        "dataset: { size: 50MB, seed: 1 }",
      ];
    case "folder":
      return [
        "# What is drilled: a copy of this folder, made for every run. The folder itself is never written to,",
        "# so the drill deletes and restores the copy, not your data.",
        `dataset: { copyFrom: ${yamlString(data.path)} }`,
      ];
    case "ssh":
      return [
        "# What is drilled: the data directory on this host, where it lives, over your ssh client (~/.ssh/config,",
        "# the agent and known_hosts are used as they are). THE DRILL REALLY DELETES IT AND RESTORES IT: use a host",
        "# you can lose (a replica, a staging copy). drdrill's load writer adds lib/mysql/drdrill-load.jsonl to it",
        "# while the drill runs (services: none leaves it out). The host needs python3 and the tools below;",
        "# a login other than root needs passwordless sudo.",
        "target: ssh",
        "targetSettings:",
        "  ssh:",
        `    host: ${yamlString(data.host)}`,
        ...(data.user ? [`    user: ${yamlString(data.user)}`] : []),
        `    dataDir: ${yamlString(data.dataDir)}`,
        "    hostKey: strict      # accept-new adds a first-seen host key to known_hosts",
      ];
  }
}

function toolLines(tools: string[]): string[] {
  const secret = tools.some((t) => INIT_TOOLS[t]!.note);
  return [
    "# One run per tool, each with its own backup repository in the run folder. Others: restic, borg,",
    "# duplicity, tar-zstd (see `drdrill list tools`).",
    ...(secret
      ? [
          "# A passphrase is read from DRDRILL_PASSPHRASE; when it is unset drdrill makes a random one for the run",
          "# and keeps it in memory only. It never appears in logs or reports.",
        ]
      : []),
    "tools:",
    ...tools.map((t) => `  - ${t}: ${INIT_TOOLS[t]!.settings}`),
  ];
}

/** The scenario file's text. */
export function initScenarioText(c: InitChoices): string {
  const where =
    c.data.kind === "folder"
      ? `a copy of ${c.data.path}`
      : c.data.kind === "ssh"
        ? `${c.data.dataDir} on ${c.data.host}`
        : "generated data";
  return [
    `# yaml-language-server: $schema=${c.schemaRef}`,
    "# A disaster-recovery drill, written by drdrill init. Run it, and check it after an edit (nothing runs):",
    `#   ${c.drdrill} run ${c.file}`,
    `#   ${c.drdrill} validate ${c.file}`,
    `name: ${yamlString(c.name)}`,
    "description: >",
    `  Back up ${where},`,
    "  delete it all, restore the newest backup, check that every file and the services came back,",
    "  and measure how long that took (RTO) and how much was lost (RPO).",
    ...dataLines(c.data),
    "# cold: the services stop for the backup, so it reads still data; hot: they keep running.",
    "mode: cold",
    ...toolLines(c.tools),
    "# The drill, in order. Other faults (corrupt or deleted archives, ransomware, a wrong passphrase, a backup",
    "# killed half-way): see `drdrill list faults`.",
    "steps:",
    "  - backup: full",
    "  - load: 3s                              # the load writer keeps writing after the backup: what RPO counts",
    "  - fault: { delete-path: { path: . } }   # the disaster: the whole data directory deleted",
    "  - restore: latest",
    "  - verify: [files, services]             # every file against the manifest taken at backup; services healthy",
    "expect: recovered",
    "# The run fails (exit 1) when the recovery takes longer or loses more than this.",
    'objectives: { rto: "< 10m", rpo: "<= 15m" }',
    "",
  ].join("\n");
}
