# The lab's services: how each is started, probed and stopped, and the order they go in.
# Services start in two waves, each wave in parallel: what the APIs need at once (MariaDB,
# memcached), then the APIs together with RabbitMQ (slow to boot, and needed by none of them to
# start); they stop in the reverse order.
WAVES=("mysqld memcached" "rabbitmq-server keystone-uwsgi placement-uwsgi glance-api")
ALL_SERVICES="${WAVES[*]}"

# spawn NAME LOGFILE CMD...: own session (own process group), no fds inherited from the caller
spawn() {
  local name=$1 logf=$2; shift 2
  mkdir -p "$RUNDIR" "$(dirname "$logf")"
  setsid "$@" >>"$logf" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

probe() {
  case $1 in
    mysqld)          mariadb-admin --defaults-file="$SC/etc/mysql/my.cnf" ping ;;
    rabbitmq-server) tcp_open 5672 ;;
    memcached)       tcp_open 11211 ;;
    keystone-uwsgi)  http_ok http://127.0.0.1:5000/v3 ;;
    placement-uwsgi) http_ok http://127.0.0.1:8778/ ;;
    glance-api)      http_ok http://127.0.0.1:9292/versions ;;
    *) return 1 ;;
  esac
}

# MariaDB replication (drdrill's mariadb-replication), set by the container's environment, never in
# $SNAP_COMMON: a primary keeps a binary log and listens on its container network, so a standby can
# follow it; a standby has a server id of its own and stays read-only until it is promoted.
replication_args() {
  case ${MICROSTACK_LAB_REPLICATION:-} in
    primary) echo "--server-id=1 --log-bin=$SC/lib/mysql/mariadb-bin --binlog-format=ROW --expire-logs-days=2 --log-bin-trust-function-creators=1 --bind-address=0.0.0.0" ;;
    standby) echo "--server-id=2 --read-only=1" ;;
  esac
}

start_one() {
  local s=$1
  if is_running "$s"; then return 0; fi
  [ -d "$SC/etc" ] || die "$SC/etc is missing: restore \$SNAP_COMMON or run 'microstack init --auto --control'"
  mkdir -p "$SC/run/mysql" "$SC/log/mysql" "$SC/log/rabbitmq" "$SC/log/keystone" "$SC/log/glance" \
           "$SC/log/placement" "$SC/lock" "$RUNDIR"
  case $s in
    mysqld)          spawn "$s" "$SC/log/mysql/console.log" /usr/sbin/mariadbd --defaults-file="$SC/etc/mysql/my.cnf" --user=root $(replication_args) ;;
    rabbitmq-server) spawn "$s" "$SC/log/rabbitmq/console.log" env HOME="$SC/lib/rabbitmq" /usr/lib/rabbitmq/bin/rabbitmq-server ;;
    memcached)       spawn "$s" "$SC/log/memcached.log" /usr/bin/memcached -u root -l 127.0.0.1 -p 11211 -m 64 ;;
    keystone-uwsgi)  spawn "$s" "$SC/log/keystone/uwsgi.log" /usr/bin/uwsgi --ini "$SC/etc/keystone/uwsgi/keystone-api.ini" ;;
    placement-uwsgi) spawn "$s" "$SC/log/placement/uwsgi.log" /usr/bin/uwsgi --ini "$SC/etc/placement/uwsgi/placement-api.ini" ;;
    glance-api)      spawn "$s" "$SC/log/glance/console.log" /usr/bin/glance-api --config-file "$SC/etc/glance/glance-api.conf" ;;
    *) die "unknown service $s" ;;
  esac
  if ! wait_for "$s to answer" 120 probe "$s"; then
    is_running "$s" || log "$s died; see the logs under $SC/log"
    return 1
  fi
  log "started $s"
}

stop_one() {
  local s=$1 p
  if ! is_running "$s"; then rm -f "$(pidfile "$s")"; return 0; fi
  p=$(pid_of "$s")
  # graceful broker shutdown first; not when its Erlang cookie went with $SNAP_COMMON (a disaster):
  # rabbitmqctl would then spend ~10 s failing to authenticate before the TERM below
  if [ "$s" = rabbitmq-server ] && [ -f "$SC/lib/rabbitmq/.erlang.cookie" ]; then
    timeout 30 env HOME="$SC/lib/rabbitmq" /usr/lib/rabbitmq/bin/rabbitmqctl shutdown >/dev/null 2>&1 || true
  fi
  case $s in
    *-uwsgi) kill -TERM "$p" 2>/dev/null ;;     # the master only: die-on-term, it stops its workers
    *)       kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null ;;
  esac
  if ! wait_for "$s to exit" 20 not_alive "$p"; then
    log "$s did not stop in 20 s; killing it"
    kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null
    sleep 0.5
  fi
  kill -KILL -- "-$p" 2>/dev/null || true     # leftovers of its process group (uwsgi workers)
  [ "$s" = rabbitmq-server ] && { epmd -kill >/dev/null 2>&1 || true; }
  rm -f "$(pidfile "$s")"
  log "stopped $s"
}

# selected [microstack|microstack.SVC|SVC ...]: the services asked for (all when none), validated
selected() {
  local want="" a
  for a in "$@"; do a=${a#microstack}; a=${a#.}; [ -n "$a" ] && want="$want $a"; done
  for a in $want; do case " $ALL_SERVICES " in *" $a "*) ;; *) die "unknown service: $a" ;; esac; done
  echo "${want:-$ALL_SERVICES}"
}

# in_wave WAVE SELECTION: the services of one wave that are in the selection
in_wave() { local s out=""; for s in $1; do case " $2 " in *" $s "*) out="$out $s" ;; esac; done; echo $out; }

# parallel FN SERVICE...: FN for each service at once; fails if any failed
parallel() {
  local fn=$1 s p rc=0 pids=(); shift
  for s in "$@"; do "$fn" "$s" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  return $rc
}

services_start() {
  local sel i rc=0; sel=$(selected "$@") || exit 1
  for i in 0 1; do parallel start_one $(in_wave "${WAVES[$i]}" "$sel") || rc=1; [ $rc = 0 ] || break; done
  return $rc
}

services_stop() {
  local sel i; sel=$(selected "$@") || exit 1
  for i in 1 0; do parallel stop_one $(in_wave "${WAVES[$i]}" "$sel"); done
}

services_status() {
  printf '%-28s %-8s %-9s %s\n' Service Startup Current Notes
  local s st
  for s in $ALL_SERVICES; do
    if is_running "$s"; then st=active; else st=inactive; fi
    printf '%-28s %-8s %-9s %s\n' "microstack.$s" enabled "$st" -
  done
}

services_health() {
  local s
  for s in $ALL_SERVICES; do
    is_running "$s" && probe "$s" >/dev/null 2>&1 || { echo "unhealthy: $s"; return 1; }
  done
  echo healthy
}
