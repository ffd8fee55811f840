# The operations that change files: delete (files, trees, or everything in the root), patch (overwrite,
# flip, truncate), encrypt (ransomware), write, mkdir; and the depth-first removal they share, which
# never follows a link and leaves a mount point (and the folders on the way to it) where it is.
import base64
import errno
import os
import stat
import time

from .proto import BUF, CLOEXEC, Refused, join_rel, split_rel


class Report:
    """What a changing operation did: paths touched, entries and bytes, and what it refused (and why)."""

    def __init__(self):
        self.touched = 0
        self.entries = 0
        self.bytes = 0
        self.refused = []
        self.examples = []

    def refuse(self, rel, reason):
        self.refused.append({"path": rel, "reason": reason})

    def done(self, rel, entries=1, nbytes=0):
        self.touched += 1
        self.entries += entries
        self.bytes += nbytes
        if len(self.examples) < 5:
            self.examples.append(rel)

    def result(self, **extra):
        r = {
            "touched": self.touched,
            "entries": self.entries,
            "bytes": self.bytes,
            "refused": self.refused[:200],
            "refusedCount": len(self.refused),
            "examples": self.examples,
        }
        r.update(extra)
        return r


def remove_at(root, dfd, name, rel, rep, retries):
    """Removes one entry under an open directory (rel: its path from the root), a directory depth first
    and entered only as the rule allows. Returns how many entries went; what is refused stays, and so
    do the folders holding it."""
    try:
        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
    except FileNotFoundError:
        return 0
    if stat.S_ISDIR(st.st_mode):
        try:
            fd = root.enter(dfd, name, rel)
        except Refused as e:
            rep.refuse(rel, str(e))
            return 0
        except FileNotFoundError:
            return 0
        refused_before = len(rep.refused)
        n = 0
        try:
            for attempt in range(retries + 1):
                # A service still writing may refill a directory as it is emptied: go again.
                for e in sorted(x.name for x in os.scandir(fd)):
                    n += remove_at(root, fd, e, join_rel(rel, e), rep, retries)
                try:
                    os.rmdir(name, dir_fd=dfd)
                    return n + 1
                except OSError as e:
                    if e.errno != errno.ENOTEMPTY:
                        raise
                    if attempt == retries or len(rep.refused) > refused_before:
                        return n  # what was refused stays, and so does its folder
                    time.sleep(0.01)
        finally:
            os.close(fd)
        return n
    why = root.barrier(rel, st)
    if why:
        rep.refuse(rel, why)
        return 0
    try:
        root.check_links(st, rel)
    except Refused as e:
        rep.refuse(rel, str(e))
        return 0
    try:
        os.unlink(name, dir_fd=dfd)
    except FileNotFoundError:
        return 0
    except OSError as e:
        if e.errno != errno.EBUSY:
            raise
        rep.refuse(rel, "busy (a mount point?); left alone")
        return 0
    return 1


def empty_dir(root, fd, rel, rep, retries):
    """Removes everything in the open directory at rel (kept itself); how many entries went."""
    n = 0
    refused_before = len(rep.refused)
    for attempt in range(retries + 1):
        for name in sorted(e.name for e in os.scandir(fd)):
            n += remove_at(root, fd, name, join_rel(rel, name), rep, retries)
        if len(rep.refused) > refused_before or not os.listdir(fd):
            break
        time.sleep(0.01)
    return n


def op_delete(root, req):
    """Deletes files or whole directories; '.' empties the root (which may be a mount point) and keeps it."""
    rep = Report()
    retries = int(req.get("retries", 20))
    for rel in req["paths"]:
        try:
            parts = split_rel(rel)
            if not parts:
                rep.done(".", empty_dir(root, root.fd, "", rep, retries))
                continue
            dfd, name = root.parent(rel)
            try:
                try:
                    st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                except FileNotFoundError:
                    rep.refuse(rel, "does not exist")
                    continue
                n = remove_at(root, dfd, name, "/".join(parts), rep, retries)
                if n > 0:
                    rep.done(rel, n, st.st_size if stat.S_ISREG(st.st_mode) else 0)
            finally:
                os.close(dfd)
        except Refused as e:
            rep.refuse(rel, str(e))
    return rep.result()


def op_patch(root, req):
    """Changes bytes of regular files in place: {path, offset, length, mode: overwrite|flip, byte}, or
    {path, truncate}."""
    rep = Report()
    done = []
    for item in req["items"]:
        rel = item["path"]
        try:
            fd, st = root.open_file(rel, os.O_RDWR)
        except Refused as e:
            rep.refuse(rel, str(e))
            continue
        except FileNotFoundError:
            rep.refuse(rel, "does not exist")
            continue
        try:
            if "truncate" in item:
                size = int(item["truncate"])
                os.ftruncate(fd, size)
                done.append({"path": rel, "fromBytes": st.st_size, "toBytes": size})
                rep.done(rel, 1, st.st_size - size)
                continue
            n = min(int(item["length"]), max(0, st.st_size - int(item["offset"])))
            offset = int(item["offset"])
            if item.get("mode") == "flip":
                data = os.pread(fd, n, offset)
                new = bytes(b ^ 0xFF for b in data)
            else:
                new = bytes([int(item.get("byte", 0xDE))]) * n
            os.pwrite(fd, new, offset)
            done.append({"path": rel, "offset": offset, "bytes": n, "size": st.st_size})
            rep.done(rel, 1, n)
        finally:
            os.close(fd)
    return rep.result(items=done)


def op_encrypt(root, req):
    """Ransomware: each file's bytes XORed with a random keystream that is thrown away, written to
    NAME+ext (created exclusively, never through a link), the original removed."""
    rep = Report()
    ext = req.get("extension", ".locked")
    for rel in req["paths"]:
        try:
            fd, st = root.open_file(rel, os.O_RDONLY)
        except Refused as e:
            rep.refuse(rel, str(e))
            continue
        except FileNotFoundError:
            rep.refuse(rel, "does not exist")
            continue
        dfd, name = root.parent(rel)
        try:
            try:
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | CLOEXEC
                wfd = os.open(name + ext, flags, st.st_mode & 0o7777, dir_fd=dfd)
            except FileExistsError:
                rep.refuse(rel, '"%s%s" exists already' % (rel, ext))
                continue
            nbytes = 0
            try:
                os.write(wfd, os.urandom(16))
                while True:
                    b = os.read(fd, BUF)
                    if not b:
                        break
                    key = os.urandom(len(b))
                    mixed = int.from_bytes(b, "little") ^ int.from_bytes(key, "little")
                    os.write(wfd, mixed.to_bytes(len(b), "little"))
                    nbytes += len(b)
            finally:
                os.close(wfd)
            os.unlink(name, dir_fd=dfd)
            rep.done(rel, 1, nbytes)
        finally:
            os.close(fd)
            os.close(dfd)
    return rep.result()


def make_parents(root, rel, parts):
    """Creates the missing folders on the way to rel, each entered by the rule."""
    fd = os.dup(root.fd)
    walked = ""
    try:
        for comp in parts[:-1]:
            walked = join_rel(walked, comp)
            try:
                os.mkdir(comp, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
            try:
                nfd = root.enter(fd, comp, walked)
            except Refused as e:
                raise Refused('"%s": "%s" %s' % (rel, walked, e))
            os.close(fd)
            fd = nfd
    finally:
        os.close(fd)


def op_write(root, req):
    """Writes a small file (base64 content), never through a link and never onto a mount point;
    creates missing parent folders when asked."""
    rel = req["path"]
    parts = split_rel(rel)
    if req.get("parents"):
        make_parents(root, rel, parts)
    dfd, name = root.parent(rel)
    try:
        try:
            st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                raise Refused('"%s" is a symlink; not followed' % rel)
            if not stat.S_ISREG(st.st_mode):
                raise Refused('"%s" exists and is not a regular file' % rel)
            why = root.barrier("/".join(parts), st)
            if why:
                raise Refused('"%s": %s' % (rel, why))
            root.check_links(st, rel)
        except FileNotFoundError:
            pass
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if req.get("append") else os.O_TRUNC) | os.O_NOFOLLOW | CLOEXEC
        try:
            fd = os.open(name, flags, int(req.get("mode", 0o644)), dir_fd=dfd)
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise Refused('"%s" is a symlink; not followed' % rel)
            raise
        data = base64.b64decode(req.get("content", ""))
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    finally:
        os.close(dfd)
    return {"path": rel, "bytes": len(data)}


def op_mkdir(root, req):
    """Makes an empty directory (its parent must exist); fails if it exists already unless `existOk`."""
    dfd, name = root.parent(req["path"])
    try:
        try:
            os.mkdir(name, int(req.get("mode", 0o700)), dir_fd=dfd)
        except FileExistsError:
            if not req.get("existOk"):
                raise
    finally:
        os.close(dfd)
    return {"path": req["path"]}
