// Every fault drdrill knows, by name. A new fault is one file plus one line here.
import corruptArchive from "./corrupt-archive.ts";
import corruptSource from "./corrupt-source.ts";
import deleteArchiveVolume from "./delete-archive-volume.ts";
import deleteFiles from "./delete-files.ts";
import deletePath from "./delete-path.ts";
import diskFull from "./disk-full.ts";
import type { Fault } from "./fault.ts";
import killBackup from "./kill-backup.ts";
import lostKey from "./lost-key.ts";
import mutateDuringBackup from "./mutate-during-backup.ts";
import ransomware from "./ransomware.ts";
import staleLock from "./stale-lock.ts";
import truncateArchive from "./truncate-archive.ts";
import wrongPassphrase from "./wrong-passphrase.ts";
import bandwidth from "./bandwidth.ts";
import deleteBackups from "./delete-backups.ts";
import healNetwork from "./heal-network.ts";
import latency from "./latency.ts";
import packetLoss from "./packet-loss.ts";
import partition from "./partition.ts";
import siteLoss from "./site-loss.ts";

export const FAULTS: Record<string, Fault<any>> = Object.fromEntries(
  [
    deletePath,
    deleteFiles,
    corruptSource,
    ransomware,
    mutateDuringBackup,
    diskFull,
    corruptArchive,
    truncateArchive,
    deleteArchiveVolume,
    wrongPassphrase,
    lostKey,
    killBackup,
    staleLock,
    deleteBackups,
    partition,
    packetLoss,
    bandwidth,
    latency,
    healNetwork,
    siteLoss,
  ].map((f) => [f.name, f]),
);
