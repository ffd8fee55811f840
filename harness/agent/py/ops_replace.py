# replace: puts a restored tree in place of the live one. A rename when it can be one; else (the live
# folder is itself a mount point, the caller asks to keep it, or mount points lie inside it) the
# contents are swapped, and every mount point inside, with the folders on the way to it, stays where
# it is, untouched: its files are not the drill's.
import errno
import os
import stat
import subprocess

from .proto import DIR_FLAGS, Refused, join_rel, split_rel
from .confine import MOUNT_POINT
from .ops_change import Report, remove_at

IN_THE_WAY = "the restored copy was not put in place: a mount point of the live tree is in its way"


def move_in(sfd, dfd, name, src_path, dst_path, src_root, src_rel, rep):
    """Moves one entry of the source folder into the destination folder (copied across file systems)."""
    try:
        os.rename(name, name, src_dir_fd=sfd, dst_dir_fd=dfd)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        subprocess.run(["cp", "-a", "--", src_path, dst_path], check=True)
        remove_at(src_root, sfd, name, src_rel, rep, 20)


def still_there(dfd, name):
    try:
        os.stat(name, dir_fd=dfd, follow_symlinks=False)
        return True
    except FileNotFoundError:
        return False


def free_name(dfd, base):
    """`base`, or `base-2`, `base-3`...: a name not taken in dfd (a second restore of the same run, whose
    agent has the same pid, must not rename onto the tree the first one displaced)."""
    name, n = base, 1
    while still_there(dfd, name):
        n += 1
        name = "%s-%d" % (base, n)
    return name


def take_attrs(fd, st):
    """The restored folder's mode, owner and times on the folder kept in place."""
    os.chmod(fd, st.st_mode & 0o7777)
    try:
        os.chown(fd, st.st_uid, st.st_gid)
    except OSError:
        pass
    os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))


def merge(root, to, dfd, rel, sfd, src_rel, rep, not_placed):
    """What is in sfd takes the place of what is in dfd (rel: its path in `to`): the entries of dfd go,
    except the mount points and the folders on the way to them, which stay (the restored entry of the
    same name goes into such a folder, or is not placed). Returns how many entries were moved in."""
    mounts = to.mounts_under(rel)
    ways = set(m.split("/")[0] for m in mounts)
    sources = set(os.listdir(sfd))
    kept = set()
    moved = 0
    for name in sorted(os.listdir(dfd)):
        here = join_rel(rel, name)
        if name in mounts:
            rep.refuse(here, MOUNT_POINT)
            kept.add(name)
            if name in sources:
                not_placed.append(join_rel(src_rel, name))
            continue
        if name not in ways:
            remove_at(to, dfd, name, here, rep, 20)
            if still_there(dfd, name):  # refused (a hard link leading out...): it stays, and so does ours
                kept.add(name)
                if name in sources:
                    not_placed.append(join_rel(src_rel, name))
            continue
        kept.add(name)
        sst = os.stat(name, dir_fd=sfd, follow_symlinks=False) if name in sources else None
        if sst is None or not stat.S_ISDIR(sst.st_mode):
            remove_at(to, dfd, name, here, rep, 20)  # the mount point and the folders to it stay
            if sst is not None:
                not_placed.append(join_rel(src_rel, name))
            continue
        try:
            sub = to.enter(dfd, name, here)
        except Refused as e:
            rep.refuse(here, str(e))
            not_placed.append(join_rel(src_rel, name))
            continue
        ssub = os.open(name, DIR_FLAGS, dir_fd=sfd)
        try:
            moved += merge(root, to, sub, here, ssub, join_rel(src_rel, name), rep, not_placed)
            take_attrs(sub, sst)
        finally:
            os.close(sub)
            os.close(ssub)
        try:
            os.rmdir(name, dir_fd=sfd)
        except OSError:
            pass  # what could not be placed stays in the source, which its caller removes
    for name in sorted(sources - kept):
        s_rel = join_rel(src_rel, name)
        move_in(sfd, dfd, name, os.path.join(root.path, s_rel), os.path.join(to.path, rel, name), root, s_rel, rep)
        moved += 1
    return moved


def replace_contents(root, req, sdfd, sname, ddfd, dname, st):
    src_rel = "/".join(split_rel(req["from"]))
    dst_rel = "/".join(split_rel(req["to"]))
    rep = Report()
    not_placed = []
    to = root.sub(ddfd, dname, dst_rel)
    try:
        sfd = os.open(sname, DIR_FLAGS, dir_fd=sdfd)
        try:
            moved = merge(root, to, to.fd, "", sfd, src_rel, rep, not_placed)
            take_attrs(to.fd, st)
        finally:
            os.close(sfd)
    finally:
        to.close()
    for r in rep.refused:
        r["path"] = join_rel(dst_rel, r["path"])
    for p in not_placed:
        rep.refuse(p, IN_THE_WAY)
    try:
        os.rmdir(sname, dir_fd=sdfd)
    except OSError:
        pass
    return rep.result(moved=moved, mode="contents")


def op_replace(root, req):
    """Puts the tree at `from` in place of the tree at `to` (both under the root). With `contents` (or
    when `to` is a mount point or holds one) `to` stays and only what is in it is swapped, its mount
    points kept; else `to` is renamed aside (`displaced`, for the caller to remove) and `from` renamed in."""
    src, dst = req["from"], req["to"]
    sdfd, sname = root.parent(src)
    ddfd, dname = root.parent(dst)
    rep = Report()
    try:
        st = os.stat(sname, dir_fd=sdfd, follow_symlinks=False)
        if not stat.S_ISDIR(st.st_mode):
            raise Refused('"%s" is not a directory' % src)
        dst_rel = "/".join(split_rel(dst))
        try:
            dst_st = os.stat(dname, dir_fd=ddfd, follow_symlinks=False)
        except FileNotFoundError:
            dst_st = None
        in_place = dst_st is not None and (root.barrier(dst_rel, dst_st) or root.mounts_under(dst_rel))
        if req.get("contents") or in_place:
            return replace_contents(root, req, sdfd, sname, ddfd, dname, st)
        displaced = None
        if dst_st is not None:
            displaced = free_name(ddfd, dname + ".displaced-%d" % os.getpid())
            try:
                os.rename(dname, displaced, src_dir_fd=ddfd, dst_dir_fd=ddfd)
            except OSError as e:
                if e.errno != errno.EBUSY:
                    raise
                # `to` is a mount point the table did not show: it stays, and its contents are swapped.
                return replace_contents(root, req, sdfd, sname, ddfd, dname, st)
        try:
            os.rename(sname, dname, src_dir_fd=sdfd, dst_dir_fd=ddfd)
        except OSError as e:
            if e.errno != errno.EXDEV:
                raise
            # Across file systems (a restore on a small tmpfs): copied with the system's copier.
            src_path, dst_path = os.path.join(root.path, src), os.path.join(root.path, dst)
            subprocess.run(["cp", "-a", "-T", "--", src_path, dst_path], check=True)
            remove_at(root, sdfd, sname, "/".join(split_rel(src)), rep, 20)
        extra = {"displaced": join_rel("/".join(split_rel(dst)[:-1]), displaced)} if displaced else {}
        return rep.result(mode="rename", **extra)
    finally:
        os.close(sdfd)
        os.close(ddfd)
