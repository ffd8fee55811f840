# SHA-256 of many files on every core while a walk goes on. A file is hashed only when the inode
# opened is the one the walk found inside the root (its device and inode): a folder on the way
# swapped for a link meanwhile gives an error, never the digest of a file outside.
import errno
import hashlib
import os

from .proto import BUF, CLOEXEC

BATCH_BYTES = 16 << 20
BATCH_FILES = 256


def sha256_fd(fd):
    h = hashlib.sha256()
    while True:
        b = os.read(fd, BUF)
        if not b:
            break
        h.update(b)
    return h.hexdigest()


def hash_found(items):
    """Digests of (absolute path, st_dev, st_ino) items ("error:CODE" when unreadable, "error:CHANGED"
    when the path now leads to another inode)."""
    res = []
    for path, dev, ino in items:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | CLOEXEC)
            try:
                st = os.fstat(fd)
                res.append(sha256_fd(fd) if (st.st_dev, st.st_ino) == (dev, ino) else "error:CHANGED")
            finally:
                os.close(fd)
        except OSError as e:
            res.append("error:" + (errno.errorcode.get(e.errno, str(e.errno))))
    return res


class Hasher:
    """Small files go to forked workers in batches as the walk finds them; files of a batch's size or
    more wait for the walk's end and go biggest first (so one big file found last does not run alone
    at the end). A tree of one batch is hashed here, without workers."""

    def __init__(self, workers):
        self.workers = workers
        self.pool = None
        self.inline = workers <= 1
        self.jobs = []  # (indices, list of digests | AsyncResult)
        self.cur, self.cur_items, self.cur_bytes = [], [], 0
        self.big = []  # (size, index, item)

    def add(self, i, item, size):
        if size >= BATCH_BYTES:
            self.big.append((size, i, item))
            return
        self.cur.append(i)
        self.cur_items.append(item)
        self.cur_bytes += size
        if self.cur_bytes >= BATCH_BYTES or len(self.cur) >= BATCH_FILES:
            self._flush()

    def _flush(self):
        if self.cur:
            self._submit(self.cur, self.cur_items)
            self.cur, self.cur_items, self.cur_bytes = [], [], 0

    def _start(self):
        if self.pool is None and not self.inline:
            try:
                import multiprocessing

                self.pool = multiprocessing.get_context("fork").Pool(self.workers)
            except (OSError, ImportError):
                # No /dev/shm for the pool's semaphores (a minimal container): one process does it all.
                self.inline = True
        return self.pool

    def _submit(self, indices, items):
        pool = self._start()
        self.jobs.append((indices, hash_found(items) if pool is None else pool.apply_async(hash_found, (items,))))

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
        for size, i, item in sorted(self.big, key=lambda b: -b[0]):
            self._submit([i], [item])
        try:
            for indices, r in self.jobs:
                for i, d in zip(indices, r if isinstance(r, list) else r.get()):
                    digests[i] = d
        finally:
            if self.pool is not None:
                self.pool.close()
                self.pool.join()
        return digests
