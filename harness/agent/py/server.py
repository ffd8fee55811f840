# The agent's entry: the table of operations (the TypeScript side's protocol.ts names the same ones),
# one request to one answer, and --serve (one request per line until stdin closes).
import json
import os
import sys

from .proto import BadRequest, Refused, out
from .confine import Root
from .manifest import op_manifest
from .ops_read import op_hash, op_list, op_read, op_resolve, op_size, op_stat
from .ops_change import op_delete, op_encrypt, op_mkdir, op_patch, op_write
from .ops_replace import op_replace
from .ops_long import op_flush, op_loadwriter, op_mutate

OPS = {
    "manifest": op_manifest,
    "list": op_list,
    "hash": op_hash,
    "size": op_size,
    "read": op_read,
    "stat": op_stat,
    "resolve": op_resolve,
    "delete": op_delete,
    "patch": op_patch,
    "encrypt": op_encrypt,
    "write": op_write,
    "mkdir": op_mkdir,
    "replace": op_replace,
    "mutate": op_mutate,
    "loadwriter": op_loadwriter,
    "flush": op_flush,
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
        root = Root(req["root"], nofollow=bool(req.get("rootNoFollow")))
        try:
            result = op(root, req)
        finally:
            root.close()
        out({"ok": True, "result": result})
        return 0
    except Refused as e:
        out({"ok": False, "refused": True, "error": str(e)})
        return 1
    except BadRequest as e:
        out({"ok": False, "error": str(e)})
        return 2
    except (KeyError, TypeError, ValueError) as e:
        # A field missing or of the wrong kind: the request's fault, named (never a traceback).
        out({"ok": False, "error": "bad request: %s %s" % (type(e).__name__, e)})
        return 2
    except OSError as e:
        where = (": " + e.filename) if getattr(e, "filename", None) else ""
        out({"ok": False, "error": "%s%s" % (os.strerror(e.errno) if e.errno else str(e), where)})
        return 1


def main():
    if "--serve" in sys.argv[1:]:
        for line in sys.stdin:
            if line.strip():
                handle(line)
                sys.stdout.flush()
        return 0
    return handle(sys.stdin.readline())


if __name__ == "__main__":
    sys.exit(main())
