// A manifest of a directory tree: type, size, sha256, mode, owner, mtime (ns), link target, hardlink
// groups and xattrs of every entry, keyed by relative path ("." is the root itself).

export type EntryType = "file" | "dir" | "symlink" | "fifo" | "socket" | "char" | "block";

export interface ManifestEntry {
  type: EntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Modification time in nanoseconds since the epoch, as a decimal string. */
  mtimeNs: string;
  sha256?: string;
  link?: string;
  /** Path of the first entry of this entry's hardlink group (files with nlink > 1). */
  hardlinkOf?: string;
  xattrs?: Record<string, string>;
}

export interface Manifest {
  root: string;
  takenAt: string;
  entries: Record<string, ManifestEntry>;
  files: number;
  bytes: number;
  /** Whether xattrs were read. */
  xattrsRead: boolean;
}
