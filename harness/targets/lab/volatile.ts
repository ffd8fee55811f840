// What the lab leaves out of the file-level manifest comparison, and why.
// Cold mode: nothing (the services are stopped, so every file holds still during the backup).
// Hot mode: the files the running services keep writing during the backup; restoring them is the
// job of the consistent database copy (mariabackup) and of the app-level health checks, which
// prove the restored MariaDB starts and holds the rows, Keystone issues and accepts tokens, and
// Glance serves every image with its original checksums.
// Measured without these exclusions (seed-lab-hot, 40 MB): lib/mysql/ib_logfile0 differed (the load
// writer commits ~10 rows/s into the redo log) and run/mysql/mysqld.sock was missing (duplicity does
// not store sockets); logs and mnesia held still in that short run, but change with any API traffic.
export const HOT_EXCLUDES: readonly string[] = [
  "lib/mysql", // live InnoDB files; replaced by the mariabackup copy (lib/mysql-hot-backup) on restore
  "lib/rabbitmq/mnesia", // the live broker's database and queue index
  "log", // every service appends to its log
  "run", // sockets and pid files of the running services
];

export function manifestExcludes(mode: "cold" | "hot"): string[] {
  return mode === "hot" ? [...HOT_EXCLUDES] : [];
}
