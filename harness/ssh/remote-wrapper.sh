#!/bin/bash
# drdrill's wrapper for commands it runs on a host over SSH (copied once into a private control
# folder there; harness/exec/ssh-executor.ts drives it). Bash, ps, base64, awk and sed are all it needs.
#   wrapper run CTL ID CWD COMMAND [ARG...]   run COMMAND; the caller made this a session leader (setsid)
#   wrapper finish CTL ID [PGID]              kill what is left of the group; print a line marked
#                                             \x1edrdrill-end, then its CPU times and peak RSS
#   wrapper signal SIGNAL PGID                signal the whole group
#   wrapper rchar PGID                        the most bytes any one process of the group has read
# `run` reads the environment from its standard input first: base64 `NAME=value` lines, then an empty
# line; the rest of its input is the command's. So no value is ever on a command line.
set -u

# A group id we may signal: a number, and never 0 or 1 (`kill -- -1` would mean every process).
valid_group() { case ${1:-} in '' | *[!0-9]* | 0 | 1) return 1 ;; esac; }

# Sum of resident memory (bytes) of the session's processes, except this sampler and its children.
rss_now() {
  ps -s "$1" -o pid=,ppid=,rss= 2>/dev/null | awk -v me="$2" '
    { parent[$1] = $2; rss[$1] = $3 }
    END {
      for (p in rss) { q = p; ours = 1
        while (q in parent) { if (q == me) { ours = 0; break }; q = parent[q] }
        if (ours) sum += rss[p] }
      print sum * 1024 }'
}

# Samples early (20, 40, 80 ms...) then every 250 ms, and keeps the peak in CTL/ID.rss.
sample_rss() {
  local leader=$1 file=$2 me=$BASHPID peak=0 now delay=20
  while kill -0 "$leader" 2>/dev/null; do
    now=$(rss_now "$leader" "$me")
    if [ "${now:-0}" -gt "$peak" ]; then peak=$now; echo "$peak" > "$file"; fi
    sleep "0.$(printf %03d "$delay")"
    delay=$((delay * 2 > 250 ? 250 : delay * 2))
  done
}

mode=${1:-}
shift || true
case $mode in
  run)
    ctl=$1 id=$2 cwd=$3
    shift 3
    echo "$$" > "$ctl/$id.pid"
    # The first line on stderr tells drdrill the group id; it takes the line out of the output.
    printf '\036drdrill-pgid %s\n' "$$" >&2
    while IFS= read -r line && [ -n "$line" ]; do
      kv=$(printf '%s' "$line" | base64 -d && echo x) || { echo "drdrill: bad environment header" >&2; exit 125; }
      kv=${kv%x}
      export "${kv%%=*}=${kv#*=}"
    done
    if [ -n "$cwd" ]; then cd -- "$cwd" || exit 126; fi
    times > "$ctl/$id.t0"
    sample_rss "$$" "$ctl/$id.rss" &
    sampler=$!
    # The command runs as a child (not exec), so `times` can report its tree's CPU time.
    "$@"
    rc=$?
    times > "$ctl/$id.t1"
    kill "$sampler" 2>/dev/null
    # A command shorter than the first sample: report this wrapper's own memory, as LocalExecutor does.
    if [ ! -s "$ctl/$id.rss" ] && read -r _ pages _ < /proc/$$/statm; then echo $((pages * 4096)) > "$ctl/$id.rss"; fi
    exit "$rc"
    ;;
  finish)
    ctl=$1 id=$2 pgid=${3:-$(cat "$1/$2.pid" 2>/dev/null)}
    if valid_group "$pgid"; then kill -KILL -- "-$pgid" 2>/dev/null; fi
    printf '\036drdrill-end\n'
    for part in t0 t1 rss; do
      echo "--$part"
      cat "$ctl/$id.$part" 2>/dev/null
    done
    rm -f "$ctl/$id.pid" "$ctl/$id.t0" "$ctl/$id.t1" "$ctl/$id.rss"
    ;;
  signal)
    valid_group "${2:-}" || exit 2
    kill -s "$1" -- "-$2" 2>/dev/null
    ;;
  rchar)
    valid_group "${1:-}" || exit 2
    max=0
    for p in $(ps -s "$1" -o pid= 2>/dev/null); do
      v=$(sed -n 's/^rchar: *//p' "/proc/$p/io" 2>/dev/null)
      if [ "${v:-0}" -gt "$max" ]; then max=$v; fi
    done
    echo "$max"
    ;;
  *)
    echo "usage: wrapper run|finish|signal|rchar ..." >&2
    exit 2
    ;;
esac
