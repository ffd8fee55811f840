// Puts a restored tree in place of a directory that is a mount point inside the container: the
// directory itself cannot be replaced (the container would keep the old one), so its contents are.
import { chmod, chown, lstat, readdir, rename, rm, rmdir, utimes } from "node:fs/promises";
import { join } from "node:path";

/** Empties `dest`, moves every entry of `src` into it, gives `dest` the mode, owner and times of `src`. */
export async function moveContents(src: string, dest: string): Promise<number> {
  for (const name of await readdir(dest)) await rm(join(dest, name), { recursive: true, force: true });
  const names = await readdir(src);
  for (const name of names) await rename(join(src, name), join(dest, name));
  const st = await lstat(src);
  await chmod(dest, st.mode & 0o7777);
  await chown(dest, st.uid, st.gid).catch(() => {});
  await utimes(dest, st.atime, st.mtime);
  await rmdir(src);
  return names.length;
}
