# Mount points, from the kernel's table (/proc/self/mountinfo). A bind mount of a folder of the same
# file system has the st_dev of its parent: only the table tells that a folder is a mount point.
import os


def _unescape(raw):
    """A mount point as the table writes it (space, tab, newline and backslash as octal escapes)."""
    buf = bytearray()
    i = 0
    while i < len(raw):
        code = raw[i + 1 : i + 4]
        if raw[i] == 0x5C and len(code) == 3 and all(48 <= c <= 55 for c in code):
            buf.append(int(code, 8) & 0xFF)
            i += 4
        else:
            buf.append(raw[i])
            i += 1
    return os.fsdecode(bytes(buf))


def mount_points():
    """Every mount point this process sees (absolute paths), or None when the table cannot be read."""
    try:
        with open("/proc/self/mountinfo", "rb") as f:
            data = f.read()
    except OSError:
        return None
    points = set()
    for line in data.splitlines():
        fields = line.split(b" ")
        if len(fields) > 4:
            points.add(_unescape(fields[4]))
    return points


def path_of_fd(fd):
    """The absolute path of an open directory as this process sees it, or None."""
    try:
        p = os.readlink("/proc/self/fd/%d" % fd)
    except OSError:
        return None
    return p if p.startswith("/") and not p.endswith(" (deleted)") else None


def mounts_inside(fd):
    """Mount points strictly inside the directory open at fd, as paths relative to it; None when unknown."""
    table = mount_points()
    here = path_of_fd(fd)
    if table is None or here is None:
        return None
    prefix = here.rstrip("/") + "/"
    return set(p[len(prefix) :] for p in table if p.startswith(prefix) and len(p) > len(prefix))
