// Every store site B can keep backups in, by name (`destination.site.store`); the first is the
// default. A new store is one file plus one line here.
import sftp from "./sftp.ts";
import type { StoreDef } from "./store.ts";

export const STORES: Record<string, StoreDef> = Object.fromEntries([sftp].map((s) => [s.name, s]));
