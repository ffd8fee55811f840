# The one walk every tree reader uses (manifest, list, size, the hard-link census): depth first, in
# name order, entering a directory only as the root's rule allows (Root.enter), and telling the caller
# each directory it was kept out of, and why.
import os
import stat

from .proto import Refused, join_rel


def walk(root, top_fd, top_rel, visit, skipped=None):
    """Calls visit(dfd, name, rel, st) for every entry under the directory open at top_fd (top_rel: its
    path from the root; rel: the entry's path from top), and enters a directory when visit returns True
    and the rule allows it; skipped(rel, reason) hears of each directory the rule kept it out of. An
    entry that vanishes while it walks is passed over."""

    def go(fd, base):
        for name in sorted(e.name for e in os.scandir(fd)):
            rel = join_rel(base, name)
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                continue
            if not visit(fd, name, rel, st) or not stat.S_ISDIR(st.st_mode):
                continue
            try:
                sub = root.enter(fd, name, join_rel(top_rel, rel))
            except Refused as e:
                if skipped is not None:
                    skipped(rel, str(e))
                continue
            except FileNotFoundError:
                continue
            except OSError as e:
                if skipped is not None:
                    skipped(rel, os.strerror(e.errno) if e.errno else str(e))
                continue
            try:
                go(sub, rel)
            finally:
                os.close(sub)

    go(top_fd, "")
