// Reference: `cp -a` of the whole tree into the repository and back: the physical limit of this disk, full copies only.
import { z } from "zod";
import { backupName, parseBackupNames, restoreChain } from "./file-backups.ts";
import { notRun, probeVersion, runTool } from "./run-tool.ts";
import { defineTool } from "./tool.ts";

const settings = z.object({}).strict();

// $1 source, $2 copy; written as .part and renamed, so a killed copy never looks finished.
const BACKUP = 'set -euo pipefail; cp -a -T -- "$1" "$2.part"; mv -T -- "$2.part" "$2"';
// $1 destination, $2 the copy (absent when there is none).
const RESTORE =
  '[ -n "${2:-}" ] || { echo "error: no copy to restore in the repository" >&2; exit 1; }; exec cp -a -T -- "$2" "$1"';
// cp keeps no checksums: light lists the copies, deep reads every byte of them (I/O errors only).
const CHECK = (deep: boolean) =>
  [
    "set -euo pipefail",
    "shopt -s nullglob",
    'copies=("$1"/*-full)',
    '[ ${#copies[@]} -gt 0 ] || { echo "error: no copy in $1" >&2; exit 1; }',
    deep ? 'find "${copies[@]}" -type f -exec cat -- {} + > /dev/null' : 'ls -ld -- "${copies[@]}"',
  ].join("; ");

export default defineTool({
  name: "cp",
  description: "Reference: cp -a full copies (no compression, no checksums, no incrementals): the disk's limit.",
  binaries: ["bash", "cp", "mv"],
  install: "apt-get install coreutils",
  settings,
  fidelity: { mtimePrecisionMs: 0, symlinkMtime: true, hardlinks: true, xattrs: true },
  capabilities: {
    incremental:
      "cp keeps full copies only: an incremental backup is not supported (use backup: full, or another tool)",
    pointInTime: true,
    selfContainedBackups: true,
    encryption: () => ({ encrypted: false }),
    dataFiles: null,
    staleLock: "no lock; an interrupted copy stays a .part folder",
    site: {
      unsupported: "cp makes copies on the target's own file system only; use tar-zstd for a plain copy to a site",
    },
  },
  version: (exec) => probeVersion(exec, "cp", ["--version"], /cp \(GNU coreutils\) ([\d.]+)/),
  open(_s, ctx) {
    return {
      async init() {
        return null;
      },
      async backup(kind, sourceDir) {
        if (kind !== "full")
          return notRun("cp-incremental", "cp keeps full copies only: an incremental backup is not supported");
        const name = backupName("full", Date.now(), "");
        const run = await runTool(ctx, {
          label: "cp-full",
          command: "bash",
          args: ["-c", BACKUP, "cp-backup", sourceDir, `${ctx.repoDir}/${name}`],
        });
        return run.failed ? run : { ...run, backupId: name };
      },
      async restore(destDir, opts) {
        const ls = await runTool(ctx, { label: "cp-ls", command: "ls", args: ["-1", "--", ctx.repoDir] });
        if (ls.failed) return ls;
        const copy = restoreChain(parseBackupNames(ls.stdout, ""), opts?.at).at(-1);
        const run = await runTool(ctx, {
          label: "cp-restore",
          command: "bash",
          args: ["-c", RESTORE, "cp-restore", destDir, ...(copy ? [`${ctx.repoDir}/${copy.id}`] : [])],
        });
        return copy ? { ...run, backupId: copy.id } : run;
      },
      check(deep) {
        return runTool(ctx, {
          label: deep ? "cp-check-deep" : "cp-check",
          command: "bash",
          args: ["-c", CHECK(deep), "cp-check", ctx.repoDir],
        });
      },
      list() {
        return runTool(ctx, { label: "cp-ls", command: "ls", args: ["-l", "--", ctx.repoDir] });
      },
    };
  },
});
