# manifest: every entry of a tree (type, size, mode, owner, mtime, link, hard-link group, xattrs, and
# the sha256 of files, hashed beside the walk), streamed as lines; what the rule kept the walk out of
# (mount points, other file systems) is named in the answer.
import os
import stat

from .proto import entry_type, out, split_rel
from .hasher import Hasher
from .walk import walk


def read_xattrs(path):
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return None
    attrs = {}
    for name in names:
        try:
            attrs[name] = "0x" + os.getxattr(path, name, follow_symlinks=False).hex()
        except OSError:
            pass
    return attrs or None


def default_workers():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def op_manifest(root, req):
    """Every entry under the root (or under `under`), without following links; files hashed, hashing
    running beside the walk. With skipHashBeforeCtimeNs, a file whose ctime is older is left unhashed
    (no sha256): the caller knows it (a clone not touched since it was made)."""
    exclude = set(req.get("exclude") or [])
    want_xattrs = req.get("xattrs", True)
    entries = []  # [rel, type, size, mode, uid, gid, mtimeNs, link, hardlinkOf, xattrs, sha256?]
    count = {"files": 0, "bytes": 0}  # files, and their bytes with hard links counted once
    skip = req.get("skipHashBeforeCtimeNs")
    skip_before = int(skip) if skip is not None else None
    hasher = Hasher(int(req.get("workers") or default_workers()))
    inodes = {}
    xattrs_read = bool(want_xattrs and hasattr(os, "listxattr"))
    not_entered = []

    def add(rel, st, dfd, name, abspath):
        t = entry_type(st)
        link = None
        if t == "symlink":
            link = os.readlink(name, dir_fd=dfd) if dfd is not None else os.readlink(abspath)
        hardlink_of = None
        if t == "file" and st.st_nlink > 1:
            key = (st.st_dev, st.st_ino)
            if key in inodes:
                hardlink_of = inodes[key]
            else:
                inodes[key] = rel
        xa = read_xattrs(abspath) if xattrs_read else None
        size = st.st_size if t in ("file", "symlink") else 0
        mode = st.st_mode & 0o7777
        entries.append([rel, t, size, mode, st.st_uid, st.st_gid, str(st.st_mtime_ns), link, hardlink_of, xa])
        if t == "file":
            count["files"] += 1
            if hardlink_of is None:
                count["bytes"] += st.st_size
            # Untouched since the seed (its ctime is older than the seed's end): the caller knows its hash.
            if skip_before is None or st.st_ctime_ns >= skip_before:
                hasher.add(len(entries) - 1, (abspath, st.st_dev, st.st_ino), st.st_size)

    under = req.get("under", ".")
    parts = split_rel(under)
    top_abs = root.path if not parts else root.path + "/" + "/".join(parts)

    def visit(dfd, name, rel, st):
        if rel in exclude:
            return False
        add(rel, st, dfd, name, top_abs + "/" + rel)
        return stat.S_ISDIR(st.st_mode)

    top = root.open_dir(parts, under)
    try:
        add(".", os.fstat(top), None, None, top_abs)
        walk(root, top, "/".join(parts), visit, lambda rel, why: not_entered.append({"path": rel, "reason": why}))
    except BaseException:
        hasher.abort()
        raise
    finally:
        os.close(top)
    for i, d in hasher.finish().items():
        entries[i].append(d)
    for e in entries:
        out({"e": e})
    return {
        "files": count["files"],
        "bytes": count["bytes"],
        "xattrsRead": xattrs_read,
        "notEntered": not_entered[:200],
        "notEnteredCount": len(not_entered),
    }
