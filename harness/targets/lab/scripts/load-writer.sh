#!/bin/bash
# drdrill's load writer in the lab: one row per tick into drdrill.load_records (sequence + server
# timestamp), autocommitted, through one MariaDB client connection, like a service writing to its
# database. Ends when the database goes away. Usage: load-writer.sh INTERVAL_S PIDFILE
interval=${1:-0.1}
echo $$ >"${2:-/run/drdrill-load-writer.pid}"
while :; do
  echo "INSERT INTO load_records (wall_ms, pad) VALUES (ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000), REPEAT('x', 40));"
  sleep "$interval"
done | exec microstack.mysql --batch --unbuffered drdrill
