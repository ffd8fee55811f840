# Shared by the lab's control scripts: where things are, logging, pid files, waiting.
# All state lives under $SNAP_COMMON like on MicroStack; only pid files live outside it, so the
# whole of $SNAP_COMMON can be deleted and restored while the services are stopped.
SC=${SNAP_COMMON:-/var/snap/microstack/common}
RUNDIR=/run/microstack-lab
LAB=/opt/microstack-lab
CONTROL_IP=${MICROSTACK_CONTROL_IP:-127.0.0.1}

# RabbitMQ: a fixed node name, so the mnesia directory still matches in a container (or on a host)
# with another hostname after a restore; its Erlang cookie lives in $SNAP_COMMON like MicroStack's.
export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_CONFIG_FILE=$SC/etc/rabbitmq/rabbitmq.conf
export RABBITMQ_MNESIA_BASE=$SC/lib/rabbitmq/mnesia
export RABBITMQ_LOG_BASE=$SC/log/rabbitmq
export RABBITMQ_ENABLED_PLUGINS_FILE=$SC/etc/rabbitmq/enabled_plugins
export RABBITMQ_PID_FILE=$RUNDIR/rabbitmq-beam.pid

log() { echo "$(date -u +%H:%M:%S) microstack-lab: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pidfile() { echo "$RUNDIR/$1.pid"; }
pid_of() { cat "$(pidfile "$1")" 2>/dev/null; }
# a zombie counts as dead (kill -0 would still succeed on it)
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
not_alive() { ! alive "$1"; }
is_running() { local p; p=$(pid_of "$1") || return 1; [ -n "$p" ] && alive "$p"; }

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_ok() { curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$1" | grep -qE '^(2|3)'; }
rmqctl() { HOME=$SC/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmqctl "$@"; }
mysql_root() { mariadb --defaults-file="$SC/etc/mysql/my.cnf" -uroot "$@"; }

# wait_for DESCRIPTION SECONDS COMMAND...: polls every 0.2 s; says what it waited for on timeout
wait_for() {
  local desc=$1 t=$2; shift 2
  local end=$((SECONDS + t))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$end" ]; then log "timeout (${t}s) waiting for $desc"; return 1; fi
    sleep 0.2
  done
}
