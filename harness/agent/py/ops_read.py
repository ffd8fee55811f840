# The operations that only read: list (regular files, for faults to pick from), hash, size, read, stat,
# and resolve (where an absolute path leads on this host, and through which symlinks).
import base64
import os
import stat

from .proto import BadRequest, Refused, entry_type, out, read_all, split_rel
from .confine import MOUNT_POINT, OTHER_FS
from .hasher import sha256_fd
from .walk import walk


def op_list(root, req):
    """Regular files under `under` (sorted), each with its size; links, other file systems and mount
    points are not entered, and are named as skipped."""
    under = req.get("under", ".")
    parts = split_rel(under)
    base = "/".join(parts)
    files, skipped = [], []

    def visit(dfd, name, rel, st):
        child = base + "/" + rel if base else rel
        if stat.S_ISREG(st.st_mode):
            item = {"path": child, "size": st.st_size}
            why = root.barrier(child, st)
            if why:
                skipped.append({"path": child, "reason": why})
                return False
            if st.st_nlink > 1:
                inside = root.census().get((st.st_dev, st.st_ino), 0)
                if inside < st.st_nlink:
                    item["outsideLinks"] = st.st_nlink - inside
            files.append(item)
        elif stat.S_ISLNK(st.st_mode):
            skipped.append({"path": child, "reason": "symlink; not followed"})
        return stat.S_ISDIR(st.st_mode)

    def not_entered(rel, why):
        reason = {OTHER_FS: "another file system mounted here; not entered"}.get(why, why)
        skipped.append({"path": base + "/" + rel if base else rel, "reason": reason})

    top = root.open_dir(parts, under)
    try:
        walk(root, top, base, visit, not_entered)
    finally:
        os.close(top)
    for f in files:
        out({"f": f})
    return {"files": len(files), "skipped": skipped[:200], "skippedCount": len(skipped)}


def op_hash(root, req):
    """sha256 of files; `readOnly`: a file with hard links leading out is read too (as a manifest reads it)."""
    digests = {}
    refused = []
    for rel in req["paths"]:
        try:
            fd, _ = root.open_file(rel, os.O_RDONLY, links_out_ok=bool(req.get("readOnly")))
        except FileNotFoundError:
            digests[rel] = None
            continue
        except (Refused, OSError) as e:
            refused.append({"path": rel, "reason": str(e) if isinstance(e, Refused) else os.strerror(e.errno)})
            continue
        try:
            digests[rel] = sha256_fd(fd)
        finally:
            os.close(fd)
    return {"digests": digests, "refused": refused}


def op_size(root, req):
    """Apparent size of the regular files (a file with several links counts once), their number,
    how many of them have more than one name, and how many folders the rule kept the walk out of
    (other file systems and mount points)."""
    seen = set()
    total = {"bytes": 0, "files": 0, "hardLinked": 0, "otherMounts": 0}

    def visit(dfd, name, rel, st):
        if stat.S_ISREG(st.st_mode):
            if st.st_nlink > 1:
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    return False
                seen.add(key)
                total["hardLinked"] += 1
            total["bytes"] += st.st_size
            total["files"] += 1
        return stat.S_ISDIR(st.st_mode)

    def not_entered(rel, why):
        if why in (OTHER_FS, MOUNT_POINT):
            total["otherMounts"] += 1

    walk(root, root.fd, "", visit, not_entered)
    return total


def op_read(root, req):
    """A small file's content (base64), or null when it does not exist."""
    limit = int(req.get("maxBytes", 64 << 20))
    try:
        fd, st = root.open_file(req["path"], os.O_RDONLY)
    except FileNotFoundError:
        return {"content": None}
    try:
        if st.st_size > limit:
            raise BadRequest('"%s" is %d bytes, more than %d' % (req["path"], st.st_size, limit))
        data = read_all(fd)
    finally:
        os.close(fd)
    return {"content": base64.b64encode(data).decode("ascii")}


def op_stat(root, req):
    """What is at each path: type and size, or null (never following a link)."""
    res = {}
    for rel in req["paths"]:
        try:
            parts = split_rel(rel)
            if not parts:
                st = os.fstat(root.fd)
            else:
                dfd, name = root.parent(rel)
                try:
                    st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                finally:
                    os.close(dfd)
            res[rel] = {"type": entry_type(st), "size": st.st_size}
        except FileNotFoundError:
            res[rel] = None
        except Refused as e:
            res[rel] = {"refused": str(e)}
    return {"stat": res}


def op_resolve(root, req):
    """Where an absolute path leads on this host: its real path, each symlink on the way (with what it
    points to), and whether a directory is there. It reads; the path need not lie in the root."""
    path = req["path"]
    if not isinstance(path, str) or not path.startswith("/"):
        raise BadRequest("resolve: path must be absolute")
    links = []
    walked = ""
    for comp in [c for c in path.split("/") if c]:
        walked += "/" + comp
        try:
            st = os.lstat(walked)
        except OSError:
            break
        if stat.S_ISLNK(st.st_mode):
            links.append({"path": walked, "to": os.readlink(walked)})
    real = os.path.realpath(path)
    return {"real": real, "links": links, "isDir": os.path.isdir(real) and not os.path.islink(real)}
