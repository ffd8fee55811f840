# drdrill's agent: every file operation a drill makes on a target (manifest, faults, staging, sizes)
# runs here, on the machine where the files are, confined to one root directory.
#
# It is run as `python3 -I -B drdrill-agent.py` with one JSON request on stdin and answers with JSON
# lines on stdout, the last of which is {"ok": true, "result": ...} or {"ok": false, "error": ...}.
# The same file serves every target (this host, a container, a host over SSH), so the confinement rule
# is enforced once, where the files are:
#   - a path is walked one component at a time from an open descriptor of the root, each directory
#     opened with O_NOFOLLOW | O_DIRECTORY, the file itself with O_NOFOLLOW: a symlink anywhere on the
#     way (also one planted while the drill runs) is refused, never followed;
#   - nothing crosses into another file system (a mount point inside the root);
#   - a regular file with hard links is touched only when all its names lie inside the root;
#   - every refusal is reported with the path and the reason, never silently skipped.
# Python 3.8+ (a real MicroStack node runs Ubuntu 20.04), standard library only.
import errno
import hashlib
import json
import os
import signal
import stat
import sys
import time

BUF = 1 << 20
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class Refused(Exception):
    """A path the agent will not touch (it leaves the root, or another name of it does)."""


class BadRequest(Exception):
    pass


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")))
    sys.stdout.write("\n")


def split_rel(rel):
    """Components of a relative path; '.' or '' is the root itself. '..' and absolute paths are refused."""
    if rel is None:
        rel = "."
    if not isinstance(rel, str):
        raise BadRequest("a path must be a string")
    if rel.startswith("/"):
        raise Refused('"%s" is absolute; paths are relative to the root' % rel)
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise Refused('"%s" leaves the root' % rel)
    return parts


class Root:
    """One confined directory, opened once; every operation starts from its descriptor."""

    def __init__(self, path):
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
        except OSError as e:
            raise Refused("%s: %s" % (path, os.strerror(e.errno)))
        self.dev = os.fstat(self.fd).st_dev
        self._census = None

    def census(self):
        """For files with several hard links: how many of their names lie inside the root."""
        if self._census is None:
            counts = {}

            def walk(fd):
                for e in os.scandir(fd):
                    try:
                        st = os.stat(e.name, dir_fd=fd, follow_symlinks=False)
                    except OSError:
                        continue
                    if stat.S_ISDIR(st.st_mode) and st.st_dev == self.dev:
                        try:
                            sub = os.open(e.name, DIR_FLAGS, dir_fd=fd)
                        except OSError:
                            continue
                        try:
                            walk(sub)
                        finally:
                            os.close(sub)
                    elif stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                        key = (st.st_dev, st.st_ino)
                        counts[key] = counts.get(key, 0) + 1

            walk(self.fd)
            self._census = counts
        return self._census

    def check_links(self, st, rel):
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            inside = self.census().get((st.st_dev, st.st_ino), 0)
            if inside < st.st_nlink:
                raise Refused('"%s" is hard-linked: %d of its %d names lie outside %s' % (rel, st.st_nlink - inside, st.st_nlink, self.path))

    def open_dir(self, parts, rel):
        """A descriptor of the directory at `parts` (never through a symlink or into another file system)."""
        fd = os.dup(self.fd)
        walked = []
        for comp in parts:
            walked.append(comp)
            try:
                nfd = os.open(comp, DIR_FLAGS, dir_fd=fd)
            except OSError as e:
                os.close(fd)
                if e.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise Refused('"%s": "%s" is a symlink or not a directory; not followed' % (rel, "/".join(walked)))
                raise
            os.close(fd)
            fd = nfd
            if os.fstat(fd).st_dev != self.dev:
                os.close(fd)
                raise Refused('"%s": "%s" is another file system mounted inside %s; not entered' % (rel, "/".join(walked), self.path))
        return fd

    def parent(self, rel):
        """(descriptor of the parent directory, last name) of a path that is not the root itself."""
        parts = split_rel(rel)
        if not parts:
            raise BadRequest('"%s" is the root itself' % rel)
        return self.open_dir(parts[:-1], rel), parts[-1]

    def open_file(self, rel, flags, links_out_ok=False):
        """Opens a regular file of the root without following links; refuses hard links leading out
        (unless the caller only reads it: links_out_ok)."""
        dfd, name = self.parent(rel)
        try:
            try:
                fd = os.open(name, flags | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), dir_fd=dfd)
            except OSError as e:
                if e.errno == errno.ELOOP:
                    raise Refused('"%s" is a symlink; not followed' % rel)
                raise
        finally:
            os.close(dfd)
        st = os.fstat(fd)
        try:
            if not stat.S_ISREG(st.st_mode):
                raise Refused('"%s" is not a regular file' % rel)
            if st.st_dev != self.dev:
                raise Refused('"%s" is on another file system' % rel)
            if not links_out_ok:
                self.check_links(st, rel)
        except Exception:
            os.close(fd)
            raise
        return fd, st


# ---------------------------------------------------------------------------------------------------
# Reading: manifest, list, hash, size, read

TYPE = {stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink", stat.S_IFIFO: "fifo",
        stat.S_IFSOCK: "socket", stat.S_IFCHR: "char", stat.S_IFBLK: "block"}


def sha256_fd(fd):
    h = hashlib.sha256()
    while True:
        b = os.read(fd, BUF)
        if not b:
            break
        h.update(b)
    return h.hexdigest()


def hash_paths(paths):
    """Digests of absolute paths, opened without following a final symlink ("error:CODE" when unreadable)."""
    res = []
    for p in paths:
        try:
            fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
            try:
                res.append(sha256_fd(fd))
            finally:
                os.close(fd)
        except OSError as e:
            res.append("error:" + (errno.errorcode.get(e.errno, str(e.errno))))
    return res


BATCH_BYTES = 16 << 20
BATCH_FILES = 256


class Hasher:
    """SHA-256 of many files on every core while the walk goes on: small files go to forked workers in
    batches as the walk finds them; files of a batch's size or more wait for the walk's end and go
    biggest first (so one big file found last does not run alone at the end). A tree of one batch is
    hashed here, without workers."""

    def __init__(self, workers):
        self.workers = workers
        self.pool = None
        self.inline = workers <= 1
        self.jobs = []  # (indices, list of digests | AsyncResult)
        self.cur, self.cur_paths, self.cur_bytes = [], [], 0
        self.big = []  # (size, index, path)

    def add(self, i, path, size):
        if size >= BATCH_BYTES:
            self.big.append((size, i, path))
            return
        self.cur.append(i)
        self.cur_paths.append(path)
        self.cur_bytes += size
        if self.cur_bytes >= BATCH_BYTES or len(self.cur) >= BATCH_FILES:
            self._flush()

    def _flush(self):
        if self.cur:
            self._submit(self.cur, self.cur_paths)
            self.cur, self.cur_paths, self.cur_bytes = [], [], 0

    def _start(self):
        if self.pool is None and not self.inline:
            try:
                import multiprocessing
                self.pool = multiprocessing.get_context("fork").Pool(self.workers)
            except (OSError, ImportError):
                # No /dev/shm for the pool's semaphores (a minimal container): one process does it all.
                self.inline = True
        return self.pool

    def _submit(self, indices, paths):
        pool = self._start()
        self.jobs.append((indices, hash_paths(paths) if pool is None else pool.apply_async(hash_paths, (paths,))))

    def abort(self):
        """The walk failed: the workers go at once (a long-lived agent must not keep them)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def finish(self):
        """Every file added, hashed: {index: digest}."""
        digests = {}
        if self.pool is None and len(self.big) + (1 if self.cur else 0) <= 1:
            self.inline = True
        self._flush()
        for size, i, path in sorted(self.big, key=lambda b: -b[0]):
            self._submit([i], [path])
        try:
            for indices, r in self.jobs:
                for i, d in zip(indices, r if isinstance(r, list) else r.get()):
                    digests[i] = d
        finally:
            if self.pool is not None:
                self.pool.close()
                self.pool.join()
        return digests


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
    workers = req.get("workers") or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
    hasher = Hasher(int(workers))
    inodes = {}
    xattrs_read = want_xattrs and hasattr(os, "listxattr")

    def add(rel, st, dfd, name, abspath):
        t = TYPE.get(stat.S_IFMT(st.st_mode), "file")
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
        entries.append([rel, t, size, st.st_mode & 0o7777, st.st_uid, st.st_gid, str(st.st_mtime_ns), link, hardlink_of, xa])
        if t == "file":
            count["files"] += 1
            if hardlink_of is None:
                count["bytes"] += st.st_size
            # Untouched since the seed (its ctime is older than the seed's end): the caller knows its hash.
            if skip_before is None or st.st_ctime_ns >= skip_before:
                hasher.add(len(entries) - 1, abspath, st.st_size)
        return t

    def walk(fd, rel, abspath):
        names = sorted(e.name for e in os.scandir(fd))
        for name in names:
            child = name if rel == "." else rel + "/" + name
            if child in exclude:
                continue
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                continue
            cabs = abspath + "/" + name
            t = add(child, st, fd, name, cabs)
            if t == "dir" and st.st_dev == root.dev:
                try:
                    sub = os.open(name, DIR_FLAGS, dir_fd=fd)
                except OSError:
                    continue
                try:
                    walk(sub, child, cabs)
                finally:
                    os.close(sub)

    parts = split_rel(req.get("under", "."))
    top = root.open_dir(parts, req.get("under", "."))
    try:
        top_abs = root.path if not parts else root.path + "/" + "/".join(parts)
        add(".", os.fstat(top), None, None, top_abs)
        walk(top, ".", top_abs)
    except BaseException:
        hasher.abort()
        raise
    finally:
        os.close(top)
    for i, d in hasher.finish().items():
        entries[i].append(d)
    for e in entries:
        out({"e": e})
    return {"files": count["files"], "bytes": count["bytes"], "xattrsRead": bool(xattrs_read)}


def op_list(root, req):
    """Regular files under `under` (sorted), each with its size; links and other file systems are not entered."""
    parts = split_rel(req.get("under", "."))
    base = "/".join(parts)
    files, skipped = [], []
    top = root.open_dir(parts, req.get("under", "."))

    def walk(fd, rel):
        for name in sorted(e.name for e in os.scandir(fd)):
            child = name if rel == "" else rel + "/" + name
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(st.st_mode):
                if st.st_dev != root.dev:
                    skipped.append({"path": child, "reason": "another file system mounted here; not entered"})
                    continue
                try:
                    sub = os.open(name, DIR_FLAGS, dir_fd=fd)
                except OSError:
                    continue
                try:
                    walk(sub, child)
                finally:
                    os.close(sub)
            elif stat.S_ISREG(st.st_mode):
                item = {"path": child, "size": st.st_size}
                if st.st_nlink > 1:
                    inside = root.census().get((st.st_dev, st.st_ino), 0)
                    if inside < st.st_nlink:
                        item["outsideLinks"] = st.st_nlink - inside
                files.append(item)
            elif stat.S_ISLNK(st.st_mode):
                skipped.append({"path": child, "reason": "symlink; not followed"})

    try:
        walk(top, base)
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
        except (Refused, OSError) as e:
            if isinstance(e, FileNotFoundError):
                digests[rel] = None
            else:
                refused.append({"path": rel, "reason": str(e) if isinstance(e, Refused) else os.strerror(e.errno)})
            continue
        try:
            digests[rel] = sha256_fd(fd)
        finally:
            os.close(fd)
    return {"digests": digests, "refused": refused}


def op_size(root, req):
    """Apparent size of the regular files (a file with several links counts once), their number,
    how many of them have more than one name, and how many folders of other file systems (mount
    points) the walk did not enter."""
    seen = set()
    total = [0, 0, 0, 0]

    def walk(fd):
        for e in os.scandir(fd):
            try:
                st = os.stat(e.name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) and st.st_dev != root.dev:
                total[3] += 1
            elif stat.S_ISDIR(st.st_mode):
                try:
                    sub = os.open(e.name, DIR_FLAGS, dir_fd=fd)
                except OSError:
                    continue
                try:
                    walk(sub)
                finally:
                    os.close(sub)
            elif stat.S_ISREG(st.st_mode):
                if st.st_nlink > 1:
                    key = (st.st_dev, st.st_ino)
                    if key in seen:
                        continue
                    seen.add(key)
                    total[2] += 1
                total[0] += st.st_size
                total[1] += 1

    walk(root.fd)
    return {"bytes": total[0], "files": total[1], "hardLinked": total[2], "otherMounts": total[3]}


def op_read(root, req):
    """A small file's content (base64), or null when it does not exist."""
    import base64
    limit = int(req.get("maxBytes", 64 << 20))
    try:
        fd, st = root.open_file(req["path"], os.O_RDONLY)
    except FileNotFoundError:
        return {"content": None}
    try:
        if st.st_size > limit:
            raise BadRequest('"%s" is %d bytes, more than %d' % (req["path"], st.st_size, limit))
        data = b""
        while True:
            b = os.read(fd, BUF)
            if not b:
                break
            data += b
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
            res[rel] = {"type": TYPE.get(stat.S_IFMT(st.st_mode), "file"), "size": st.st_size}
        except FileNotFoundError:
            res[rel] = None
        except Refused as e:
            res[rel] = {"refused": str(e)}
    return {"stat": res}


# ---------------------------------------------------------------------------------------------------
# Changing: delete, empty, patch (overwrite, flip, truncate), encrypt, write, mkdir, move

class Report:
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
        r = {"touched": self.touched, "entries": self.entries, "bytes": self.bytes, "refused": self.refused[:200],
             "refusedCount": len(self.refused), "examples": self.examples}
        r.update(extra)
        return r


def remove_at(root, dfd, name, rel, rep, retries):
    """Removes one entry under an open directory, a directory depth first, never following links.
    Returns how many entries went."""
    try:
        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
    except FileNotFoundError:
        return 0
    if stat.S_ISDIR(st.st_mode):
        if st.st_dev != root.dev:
            rep.refuse(rel, "another file system is mounted here; not entered")
            return 0
        try:
            fd = os.open(name, DIR_FLAGS, dir_fd=dfd)
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.ENOTDIR):
                rep.refuse(rel, "became a symlink while being deleted; not followed")
                return 0
            raise
        n = 0
        try:
            for attempt in range(retries + 1):
                # A service still writing may refill a directory as it is emptied: go again.
                for e in sorted(x.name for x in os.scandir(fd)):
                    n += remove_at(root, fd, e, rel + "/" + e if rel != "." else e, rep, retries)
                try:
                    os.rmdir(name, dir_fd=dfd)
                    return n + 1
                except OSError as e:
                    if e.errno != errno.ENOTEMPTY:
                        raise
                    if attempt == retries or rep.refused:
                        return n  # what was refused stays, and so does its folder
                    time.sleep(0.01)
        finally:
            os.close(fd)
        return n
    try:
        root.check_links(st, rel)
    except Refused as e:
        rep.refuse(rel, str(e))
        return 0
    try:
        os.unlink(name, dir_fd=dfd)
    except FileNotFoundError:
        return 0
    return 1


def op_delete(root, req):
    """Deletes files or whole directories; '.' empties the root (which may be a mount point) and keeps it."""
    rep = Report()
    retries = int(req.get("retries", 20))
    for rel in req["paths"]:
        try:
            parts = split_rel(rel)
            if not parts:
                n = 0
                for attempt in range(retries + 1):
                    for name in sorted(e.name for e in os.scandir(root.fd)):
                        n += remove_at(root, root.fd, name, name, rep, retries)
                    if rep.refused or not os.listdir(root.fd):
                        break
                    time.sleep(0.01)
                rep.done(".", n)
                continue
            dfd, name = root.parent(rel)
            try:
                try:
                    st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                except FileNotFoundError:
                    rep.refuse(rel, "does not exist")
                    continue
                n = remove_at(root, dfd, name, rel, rep, retries)
                if n > 0:
                    rep.done(rel, n, st.st_size if stat.S_ISREG(st.st_mode) else 0)
            finally:
                os.close(dfd)
        except Refused as e:
            rep.refuse(rel, str(e))
    return rep.result()


def op_patch(root, req):
    """Changes bytes of regular files in place: {path, offset, length, mode: overwrite|flip, byte} or {path, truncate}."""
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
                wfd = os.open(name + ext, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), st.st_mode & 0o7777, dir_fd=dfd)
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
                    os.write(wfd, (int.from_bytes(b, "little") ^ int.from_bytes(key, "little")).to_bytes(len(b), "little"))
                    nbytes += len(b)
            finally:
                os.close(wfd)
            os.unlink(name, dir_fd=dfd)
            rep.done(rel, 1, nbytes)
        finally:
            os.close(fd)
            os.close(dfd)
    return rep.result()


def op_write(root, req):
    """Writes a small file (base64 content), never through a link; creates missing parent folders when asked."""
    import base64
    rel = req["path"]
    parts = split_rel(rel)
    if req.get("parents"):
        fd = os.dup(root.fd)
        for i, comp in enumerate(parts[:-1]):
            try:
                os.mkdir(comp, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
            try:
                nfd = os.open(comp, DIR_FLAGS, dir_fd=fd)
            except OSError:
                os.close(fd)
                raise Refused('"%s": "%s" is a symlink or not a directory; not followed' % (rel, "/".join(parts[: i + 1])))
            os.close(fd)
            fd = nfd
        os.close(fd)
    dfd, name = root.parent(rel)
    try:
        try:
            st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                raise Refused('"%s" is a symlink; not followed' % rel)
            if not stat.S_ISREG(st.st_mode):
                raise Refused('"%s" exists and is not a regular file' % rel)
            root.check_links(st, rel)
        except FileNotFoundError:
            pass
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if req.get("append") else os.O_TRUNC) | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
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


def op_replace(root, req):
    """Puts the tree at `from` in place of the tree at `to` (both under the root). With `contents`, `to`
    stays (a mount point) and only what is in it is swapped; the old tree goes to `displaced` and is removed."""
    src, dst = req["from"], req["to"]
    sdfd, sname = root.parent(src)
    ddfd, dname = root.parent(dst)
    rep = Report()
    try:
        st = os.stat(sname, dir_fd=sdfd, follow_symlinks=False)
        if not stat.S_ISDIR(st.st_mode):
            raise Refused('"%s" is not a directory' % src)
        if req.get("contents"):
            dfd = os.open(dname, DIR_FLAGS, dir_fd=ddfd)
            sfd = os.open(sname, DIR_FLAGS, dir_fd=sdfd)
            try:
                for name in sorted(e.name for e in os.scandir(dfd)):
                    remove_at(root, dfd, name, dst + "/" + name, rep, 20)
                moved = 0
                for name in sorted(e.name for e in os.scandir(sfd)):
                    try:
                        os.rename(name, name, src_dir_fd=sfd, dst_dir_fd=dfd)
                    except OSError as e:
                        if e.errno != errno.EXDEV:
                            raise
                        import subprocess
                        subprocess.run(["cp", "-a", "--", os.path.join(root.path, src, name), os.path.join(root.path, dst, name)], check=True)
                        remove_at(root, sfd, name, src + "/" + name, rep, 20)
                    moved += 1
                os.chmod(dfd, st.st_mode & 0o7777)
                try:
                    os.chown(dfd, st.st_uid, st.st_gid)
                except OSError:
                    pass
                os.utime(dfd, ns=(st.st_atime_ns, st.st_mtime_ns))
            finally:
                os.close(dfd)
                os.close(sfd)
            os.rmdir(sname, dir_fd=sdfd)
            return rep.result(moved=moved, mode="contents")
        displaced = None
        try:
            os.stat(dname, dir_fd=ddfd, follow_symlinks=False)
            displaced = dname + ".displaced-%d" % os.getpid()
            os.rename(dname, displaced, src_dir_fd=ddfd, dst_dir_fd=ddfd)
        except FileNotFoundError:
            pass
        except OSError as e:
            if e.errno != errno.EBUSY:
                raise
            # `to` is a mount point: it stays, and its contents are swapped instead.
            req = dict(req, contents=True)
            return op_replace(root, req)
        try:
            os.rename(sname, dname, src_dir_fd=sdfd, dst_dir_fd=ddfd)
        except OSError as e:
            if e.errno != errno.EXDEV:
                raise
            # Across file systems (a restore on a small tmpfs): copied with the system's copier.
            import subprocess
            src_path = os.path.join(root.path, src)
            dst_path = os.path.join(root.path, dst)
            subprocess.run(["cp", "-a", "-T", "--", src_path, dst_path], check=True)
            remove_at(root, sdfd, sname, src, rep, 20)
        return rep.result(mode="rename")
    finally:
        os.close(sdfd)
        os.close(ddfd)


# ---------------------------------------------------------------------------------------------------
# Long-running: mutate (rewrite files in place until told to stop)

def version_bytes(size, k):
    """Version k of a file: the same size, every 8 bytes stamped with k and their position."""
    import array
    words = size // 8
    stamped = array.array("I", bytes(8 * words))
    stamped[0::2] = array.array("I", [k & 0xFFFFFFFF]) * words
    stamped[1::2] = array.array("I", range(words))
    if sys.byteorder != "little":
        stamped.byteswap()
    return stamped.tobytes() + bytes([k & 0xFF]) * (size - 8 * words)


def op_mutate(root, req):
    """Rewrites the files in place, chunk by chunk, version after version, until `stopFile` appears (or
    SIGTERM); prints the
    sha256 of every version it starts writing, so a restored copy can be judged (whole version or torn)."""
    stop = [False]

    def on_term(signum, frame):
        stop[0] = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    chunk = int(req.get("chunk", 16 * 1024))
    files = req["files"]
    for f in files:
        fd, _ = root.open_file(f["path"], os.O_RDONLY)
        try:
            out({"v": {"path": f["path"], "k": 0, "sha256": sha256_fd(fd)}})
        finally:
            os.close(fd)
    sys.stdout.flush()
    out({"started": True})
    sys.stdout.flush()
    rewrites = 0
    refused = []
    k = 0
    stop_file = req.get("stopFile")

    def asked_to_stop():
        if not stop[0] and stop_file and os.path.exists(stop_file):
            stop[0] = True
        return stop[0]

    while not asked_to_stop():
        k += 1
        for f in files:
            if asked_to_stop():
                break
            data = version_bytes(int(f["size"]), k)
            out({"v": {"path": f["path"], "k": k, "sha256": hashlib.sha256(data).hexdigest()}})
            sys.stdout.flush()
            try:
                fd, _ = root.open_file(f["path"], os.O_WRONLY)
            except (Refused, OSError) as e:
                refused.append({"path": f["path"], "reason": str(e)})
                stop[0] = True
                break
            try:
                for off in range(0, len(data), chunk):
                    os.pwrite(fd, data[off: off + chunk], off)
                    time.sleep(0)  # let a reader see the file half old, half new
            finally:
                os.close(fd)
            rewrites += 1
    return {"rewrites": rewrites, "versions": k, "refused": refused}


def op_loadwriter(root, req):
    """A service for drills on hosts without one: appends sequence-numbered, timestamped records to a
    file of the root every `intervalMs`, like a database's log, until SIGTERM, until its file's folder
    is gone (the disaster), or until `heartbeat` (a file drdrill touches) is older than `staleS`."""
    stop = [False]
    signal.signal(signal.SIGTERM, lambda s, f: stop.__setitem__(0, True))
    # A session and process group of its own, whose id it writes down: that is what drdrill stops.
    try:
        os.setsid()
    except OSError:
        pass
    if req.get("pidFile"):
        with open(req["pidFile"] + ".part", "w") as f:
            f.write("%d\n" % os.getpgrp())
        os.rename(req["pidFile"] + ".part", req["pidFile"])
    rel = req["path"]
    interval = float(req.get("intervalMs", 100)) / 1000.0
    heartbeat = req.get("heartbeat")
    stale = float(req.get("staleS", 30))
    seq = 0
    try:
        fd, _ = root.open_file(rel, os.O_RDONLY)
        try:
            data = b""
            while True:
                b = os.read(fd, BUF)
                if not b:
                    break
                data += b
        finally:
            os.close(fd)
        for line in data.decode("utf8", "replace").splitlines():
            try:
                seq = max(seq, int(json.loads(line)["seq"]))
            except (ValueError, KeyError, TypeError):
                pass
    except (FileNotFoundError, Refused):
        pass
    parts = split_rel(rel)
    dfd = root.open_dir(parts[:-1], rel)
    try:
        fd = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o644, dir_fd=dfd)
    finally:
        os.close(dfd)
    written = 0
    while not stop[0]:
        if heartbeat:
            try:
                if time.time() - os.stat(heartbeat).st_mtime > stale:
                    break  # drdrill is gone: a drill's service ends with the drill
            except FileNotFoundError:
                break
        seq += 1
        rec = json.dumps({"seq": seq, "wallMs": int(time.time() * 1000), "pad": "x" * 40}) + "\n"
        try:
            # A write into a folder that was deleted (the disaster) fails: the service stops, as a database would.
            if os.fstat(fd).st_nlink == 0:
                break
            os.write(fd, rec.encode())
            written += 1
        except OSError:
            break
        time.sleep(interval)
    os.close(fd)
    return {"written": written, "lastSeq": seq}


def op_flush(root, req):
    """Writes what the file system holding the directory keeps in memory to its disk (syncfs(2); sync(2)
    where that cannot be had), so what comes next is not timed on the write-back of what came before."""
    t = time.monotonic()
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syncfs(root.fd) != 0:
            raise OSError(ctypes.get_errno(), "syncfs")
    except (ImportError, AttributeError, OSError):
        os.sync()
    return {"ms": round((time.monotonic() - t) * 1000, 1)}


OPS = {
    "manifest": op_manifest, "list": op_list, "hash": op_hash, "size": op_size, "read": op_read, "stat": op_stat,
    "delete": op_delete, "patch": op_patch, "encrypt": op_encrypt, "write": op_write, "mkdir": op_mkdir,
    "replace": op_replace, "mutate": op_mutate, "loadwriter": op_loadwriter, "flush": op_flush,
}


def handle(line):
    """One request (a JSON line) to one answer; returns the exit status a one-shot run would have."""
    try:
        req = json.loads(line or "{}")
        op = OPS.get(req.get("op"))
        if op is None:
            raise BadRequest("unknown op %r (known: %s)" % (req.get("op"), ", ".join(sorted(OPS))))
        if not isinstance(req.get("root"), str) or not req["root"].startswith("/"):
            raise BadRequest("root must be an absolute path")
        if req.get("create") and not os.path.isdir(req["root"]):
            os.makedirs(req["root"], mode=0o700, exist_ok=True)
        root = Root(req["root"])
        try:
            result = op(root, req)
        finally:
            os.close(root.fd)
        out({"ok": True, "result": result})
        return 0
    except Refused as e:
        out({"ok": False, "refused": True, "error": str(e)})
        return 1
    except BadRequest as e:
        out({"ok": False, "error": str(e)})
        return 2
    except OSError as e:
        out({"ok": False, "error": "%s%s" % (os.strerror(e.errno) if e.errno else str(e), (": " + e.filename) if getattr(e, "filename", None) else "")})
        return 1


def main():
    # --serve: one request per line until stdin closes (one process for many operations).
    if "--serve" in sys.argv[1:]:
        for line in sys.stdin:
            if line.strip():
                handle(line)
                sys.stdout.flush()
        return 0
    return handle(sys.stdin.readline())


if __name__ == "__main__":
    sys.exit(main())
