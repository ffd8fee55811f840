# The long-running operations: mutate (rewrite files in place, version after version, until told to
# stop), loadwriter (a database-like service appending records), and flush (syncfs of the root's file
# system).
import hashlib
import json
import os
import signal
import sys
import time

from .proto import Refused, out, read_all, split_rel
from .hasher import sha256_fd


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
    SIGTERM); prints the sha256 of every version it starts writing, so a restored copy can be judged
    (whole version or torn)."""
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
                    os.pwrite(fd, data[off : off + chunk], off)
                    time.sleep(0)  # let a reader see the file half old, half new
            finally:
                os.close(fd)
            rewrites += 1
    return {"rewrites": rewrites, "versions": k, "refused": refused}


def last_seq(root, rel):
    """The highest sequence number already in the writer's file (0 when none)."""
    seq = 0
    try:
        fd, _ = root.open_file(rel, os.O_RDONLY)
    except (FileNotFoundError, Refused):
        return 0
    try:
        data = read_all(fd)
    finally:
        os.close(fd)
    for line in data.decode("utf8", "replace").splitlines():
        try:
            seq = max(seq, int(json.loads(line)["seq"]))
        except (ValueError, KeyError, TypeError):
            pass
    return seq


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
    seq = last_seq(root, rel)
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
