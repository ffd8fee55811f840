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
  /** Files whose sha256 was taken from the tree this one was cloned from, not read again. */
  hashesReused?: number;
  /** Folders the walk did not enter (mount points, other file systems): what lies in them is not listed. */
  notEntered?: string[];
}

/** What is known of a regular file without reading it: its size, mtime and sha256. */
export interface KnownFile {
  size: number;
  mtimeNs: string;
  sha256: string;
}

/**
 * A directory cloned from a tree whose files are hashed already (a pristine copy): a file of the
 * clone whose ctime is older than the clone's end, with the size and mtime the tree gives it, has
 * that tree's hash. A file touched since (its ctime moves, whatever its mtime says) is read again.
 */
export interface SeededFiles {
  /** The tree's regular files by relative path, hashed on first use. */
  known(): Promise<ReadonlyMap<string, KnownFile>>;
  /** Nanoseconds: a file whose ctime is earlier has not changed since the clone was made. */
  unchangedBeforeCtimeNs: string;
}
