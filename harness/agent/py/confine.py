# The confinement rule, written once. Every walker and every change reaches the files through a Root:
#   - a path is walked one component at a time from an open descriptor of the root, each directory
#     opened with O_NOFOLLOW | O_DIRECTORY and the file itself with O_NOFOLLOW: a symlink anywhere on
#     the way (also one planted while the drill runs) is refused, never followed;
#   - no other file system and no mount point inside the root is entered or changed: st_dev tells
#     another file system, the kernel's mount table tells a bind mount of a folder of the same one;
#   - a regular file with hard links is changed only when all its names lie inside the root;
#   - every refusal says the path and the reason; nothing is skipped silently.
import errno
import os
import stat

from .proto import CLOEXEC, DIR_FLAGS, BadRequest, Refused, join_rel, split_rel
from .mounts import mounts_inside
from .walk import walk

NOT_FOLLOWED = "is a symlink or not a directory; not followed"
OTHER_FS = "another file system is mounted here; not entered"
MOUNT_POINT = "a mount point (a bind mount or another file system); not entered, left alone"


def open_root(path, nofollow):
    """The root's descriptor; with `nofollow`, reached from / one component at a time, no link followed."""
    if not nofollow:
        try:
            return os.open(path, os.O_RDONLY | os.O_DIRECTORY | CLOEXEC)
        except OSError as e:
            raise Refused("%s: %s" % (path, os.strerror(e.errno)))
    fd = os.open("/", os.O_RDONLY | os.O_DIRECTORY | CLOEXEC)
    walked = ""
    for comp in [c for c in path.split("/") if c]:
        walked += "/" + comp
        if comp in (".", ".."):
            os.close(fd)
            raise Refused('%s: "%s" is not a plain path' % (path, walked))
        try:
            nfd = os.open(comp, DIR_FLAGS, dir_fd=fd)
        except OSError as e:
            os.close(fd)
            if e.errno in (errno.ELOOP, errno.ENOTDIR):
                raise Refused('%s: "%s" %s' % (path, walked, NOT_FOLLOWED))
            raise Refused("%s: %s" % (path, os.strerror(e.errno)))
        os.close(fd)
        fd = nfd
    return fd


class Root:
    """One confined directory, opened once; every operation starts from its descriptor."""

    def __init__(self, path, nofollow=False, fd=None):
        self.path = path
        self.fd = open_root(path, nofollow) if fd is None else fd
        self.dev = os.fstat(self.fd).st_dev
        self._census = None
        self._mounts = None

    def close(self):
        os.close(self.fd)

    def sub(self, dfd, name, rel):
        """The directory `name` in dfd (at rel) as a root of its own (a folder whose contents are
        swapped): opened without following a link; inside it the rule holds against its own device."""
        try:
            fd = os.open(name, DIR_FLAGS, dir_fd=dfd)
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.ENOTDIR):
                raise Refused('"%s" %s' % (rel, NOT_FOLLOWED))
            raise
        return Root(self.path + "/" + rel, fd=fd)

    def mounts(self):
        """Mount points strictly inside the root (relative paths), read once per operation."""
        if self._mounts is None:
            self._mounts = mounts_inside(self.fd) or set()
        return self._mounts

    def mounts_under(self, rel):
        """Mount points inside the folder at rel, relative to that folder."""
        if rel in ("", "."):
            return set(self.mounts())
        prefix = rel + "/"
        return set(m[len(prefix) :] for m in self.mounts() if m.startswith(prefix))

    def barrier(self, rel, st):
        """The rule: why the entry at rel (whose stat is st) must be left alone, or None when it may be touched."""
        if st.st_dev != self.dev:
            return OTHER_FS
        if rel in self.mounts():
            return MOUNT_POINT
        return None

    def enter(self, dfd, name, rel):
        """A descriptor of the directory `name` in dfd (at rel from the root), never through a link and
        never into another file system or a mount point; else Refused with the reason."""
        try:
            fd = os.open(name, DIR_FLAGS, dir_fd=dfd)
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.ENOTDIR):
                raise Refused(NOT_FOLLOWED)
            raise
        why = self.barrier(rel, os.fstat(fd))
        if why:
            os.close(fd)
            raise Refused(why)
        return fd

    def census(self):
        """For files with several hard links: how many of their names lie inside the root."""
        if self._census is None:
            counts = {}

            def visit(dfd, name, rel, st):
                if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                    key = (st.st_dev, st.st_ino)
                    counts[key] = counts.get(key, 0) + 1
                return True

            walk(self, self.fd, "", visit)
            self._census = counts
        return self._census

    def check_links(self, st, rel):
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            inside = self.census().get((st.st_dev, st.st_ino), 0)
            if inside < st.st_nlink:
                raise Refused(
                    '"%s" is hard-linked: %d of its %d names lie outside %s'
                    % (rel, st.st_nlink - inside, st.st_nlink, self.path)
                )

    def open_dir(self, parts, rel):
        """A descriptor of the directory at `parts`, every step taken by the rule (enter)."""
        fd = os.dup(self.fd)
        walked = ""
        for comp in parts:
            walked = join_rel(walked, comp)
            try:
                nfd = self.enter(fd, comp, walked)
            except Refused as e:
                raise Refused('"%s": "%s" %s' % (rel, walked, e))
            finally:
                os.close(fd)
            fd = nfd
        return fd

    def parent(self, rel):
        """(descriptor of the parent directory, last name) of a path that is not the root itself."""
        parts = split_rel(rel)
        if not parts:
            raise BadRequest('"%s" is the root itself' % rel)
        return self.open_dir(parts[:-1], rel), parts[-1]

    def open_file(self, rel, flags, links_out_ok=False):
        """Opens a regular file of the root without following links; refuses a file that is a mount
        point, and hard links leading out (unless the caller only reads it: links_out_ok)."""
        dfd, name = self.parent(rel)
        try:
            try:
                fd = os.open(name, flags | os.O_NOFOLLOW | CLOEXEC, dir_fd=dfd)
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
            why = self.barrier("/".join(split_rel(rel)), st)
            if why:
                raise Refused('"%s": %s' % (rel, why))
            if not links_out_ok:
                self.check_links(st, rel)
        except Exception:
            os.close(fd)
            raise
        return fd, st
