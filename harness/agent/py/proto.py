# The agent's words: one JSON request in, JSON lines out (the last one the answer), its two refusals,
# and how a path relative to the root is read. Every other part of the agent builds on these.
import json
import os
import stat
import sys

BUF = 1 << 20
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | CLOEXEC

TYPE = {
    stat.S_IFREG: "file",
    stat.S_IFDIR: "dir",
    stat.S_IFLNK: "symlink",
    stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "char",
    stat.S_IFBLK: "block",
}


class Refused(Exception):
    """A path the agent will not touch (it leaves the root, or another name of it does)."""


class BadRequest(Exception):
    """A request the agent cannot carry out as asked (a wrong field, the root itself where a file is meant)."""


def read_all(fd):
    """Every byte left in an open file, read in BUF-sized chunks."""
    chunks = []
    while True:
        b = os.read(fd, BUF)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")))
    sys.stdout.write("\n")


def entry_type(st):
    return TYPE.get(stat.S_IFMT(st.st_mode), "file")


def join_rel(rel, name):
    """The path of `name` inside the folder at `rel` ("" or "." is the root)."""
    return name if rel in ("", ".") else rel + "/" + name


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
