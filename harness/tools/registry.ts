// Every backup tool drdrill can drive, by name. A new tool is one file plus one line here.
import type { ToolAdapter } from "./tool.ts";
import borg from "./borg.ts";
import command from "./command.ts";
import cp from "./cp.ts";
import duplicity from "./duplicity.ts";
import restic from "./restic.ts";
import tarZstd from "./tar-zstd.ts";
import lsyncd from "./lsyncd.ts";
import mariadbReplication from "./mariadb-replication.ts";

export const TOOLS: Record<string, ToolAdapter<any>> = {
  [duplicity.name]: duplicity,
  [restic.name]: restic,
  [borg.name]: borg,
  [tarZstd.name]: tarZstd,
  [cp.name]: cp,
  [command.name]: command,
  [lsyncd.name]: lsyncd,
  [mariadbReplication.name]: mariadbReplication,
};
