# First-time setup of $SNAP_COMMON (= `microstack init --auto --control`): configs from templates,
# new random service passwords, MariaDB datadir and databases, Keystone fernet and credential keys,
# bootstrap (region "microstack"), service users and catalog, Placement and Glance schemas.
rand() { tr -dc 'A-Za-z0-9' </dev/urandom | head -c "${1:-24}"; }

render() { # TEMPLATE DEST
  mkdir -p "$(dirname "$2")"
  sed -e "s|@SC@|$SC|g" -e "s|@CONTROL_IP@|$CONTROL_IP|g" \
      -e "s|@ADMIN_PASSWORD@|$ADMIN_PASSWORD|g" \
      -e "s|@KEYSTONE_DB_PASSWORD@|$KEYSTONE_DB_PASSWORD|g" \
      -e "s|@GLANCE_DB_PASSWORD@|$GLANCE_DB_PASSWORD|g" -e "s|@GLANCE_PASSWORD@|$GLANCE_PASSWORD|g" \
      -e "s|@PLACEMENT_DB_PASSWORD@|$PLACEMENT_DB_PASSWORD|g" -e "s|@PLACEMENT_PASSWORD@|$PLACEMENT_PASSWORD|g" \
      "$LAB/templates/$1" >"$2"
}

lab_init() {
  if [ -f "$SC/etc/microstack-lab/initialized" ]; then log "already initialised"; return 0; fi
  local t0=$SECONDS
  # a fresh node gets its own admin password unless one is given (the baked image uses "keystone",
  # MicroStack's default)
  ADMIN_PASSWORD=${MICROSTACK_ADMIN_PASSWORD:-$(rand 16)}
  KEYSTONE_DB_PASSWORD=$(rand); GLANCE_DB_PASSWORD=$(rand); GLANCE_PASSWORD=$(rand)
  PLACEMENT_DB_PASSWORD=$(rand); PLACEMENT_PASSWORD=$(rand); RABBITMQ_PASSWORD=$(rand)
  mkdir -p "$SC"/{etc/microstack-lab,images,fernet-keys,credential-keys,lock,run/mysql} \
           "$SC"/lib/{images,mysql-files,rabbitmq,glance/staging,glance/tasks_work_dir,glance/image-cache} \
           "$SC"/log/{mysql,glance,keystone,placement,rabbitmq}
  chmod 0700 "$SC/lib/mysql-files" "$SC/fernet-keys" "$SC/credential-keys"
  (umask 077; cat >"$SC/etc/microstack-lab/credentials.env" <<CRED
# like \`snap get microstack config.credentials\` (MicroStack keeps these in snapd, not in SNAP_COMMON)
keystone-password=$ADMIN_PASSWORD
keystone-db-password=$KEYSTONE_DB_PASSWORD
glance-db-password=$GLANCE_DB_PASSWORD
glance-password=$GLANCE_PASSWORD
placement-db-password=$PLACEMENT_DB_PASSWORD
placement-password=$PLACEMENT_PASSWORD
rabbitmq-password=$RABBITMQ_PASSWORD
CRED
  )
  render my.cnf            "$SC/etc/mysql/my.cnf"
  render keystone.conf     "$SC/etc/keystone/keystone.conf"
  render keystone-api.ini  "$SC/etc/keystone/uwsgi/keystone-api.ini"
  render glance-api.conf   "$SC/etc/glance/glance-api.conf"
  render placement.conf    "$SC/etc/placement/placement.conf"
  render placement-api.ini "$SC/etc/placement/uwsgi/placement-api.ini"
  render rabbitmq.conf     "$SC/etc/rabbitmq/rabbitmq.conf"
  render microstack.rc     "$SC/etc/microstack.rc"
  echo '[].' >"$SC/etc/rabbitmq/enabled_plugins"
  chmod 0600 "$SC/etc/keystone/keystone.conf" "$SC/etc/glance/glance-api.conf" \
             "$SC/etc/placement/placement.conf" "$SC/etc/microstack.rc"

  log "initialising the MariaDB datadir"
  mariadb-install-db --defaults-file="$SC/etc/mysql/my.cnf" --user=root \
      --auth-root-authentication-method=socket --skip-test-db >"$SC/log/mysql/install-db.log" 2>&1 \
      || die "mariadb-install-db failed (see $SC/log/mysql/install-db.log)"
  services_start mysqld rabbitmq-server memcached || die "backing services did not start"
  mysql_root <<SQL || die "creating the databases failed"
CREATE DATABASE keystone; CREATE DATABASE glance; CREATE DATABASE placement;
CREATE USER 'keystone'@'%' IDENTIFIED BY '$KEYSTONE_DB_PASSWORD';
CREATE USER 'glance'@'%' IDENTIFIED BY '$GLANCE_DB_PASSWORD';
CREATE USER 'placement'@'%' IDENTIFIED BY '$PLACEMENT_DB_PASSWORD';
GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'%';
GRANT ALL PRIVILEGES ON glance.* TO 'glance'@'%';
GRANT ALL PRIVILEGES ON placement.* TO 'placement'@'%';
FLUSH PRIVILEGES;
SQL
  rmqctl add_user openstack "$RABBITMQ_PASSWORD" >/dev/null \
    && rmqctl set_permissions -p / openstack '.*' '.*' '.*' >/dev/null || die "RabbitMQ user setup failed"

  local km=(keystone-manage --config-file "$SC/etc/keystone/keystone.conf")
  log "keystone: db_sync, fernet_setup, credential_setup, bootstrap"
  "${km[@]}" db_sync || die "keystone db_sync failed"
  "${km[@]}" fernet_setup --keystone-user root --keystone-group root || die "keystone fernet_setup failed"
  "${km[@]}" credential_setup --keystone-user root --keystone-group root || die "keystone credential_setup failed"
  "${km[@]}" bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
      --bootstrap-admin-url "http://$CONTROL_IP:5000/v3/" --bootstrap-internal-url "http://$CONTROL_IP:5000/v3/" \
      --bootstrap-public-url "http://$CONTROL_IP:5000/v3/" --bootstrap-region-id microstack \
      || die "keystone bootstrap failed"
  log "placement and glance: db sync"
  placement-manage --config-file "$SC/etc/placement/placement.conf" db sync || die "placement db sync failed"
  glance-manage --config-file "$SC/etc/glance/glance-api.conf" db_sync >"$SC/log/glance/db_sync.log" 2>&1 \
      || die "glance db_sync failed (see $SC/log/glance/db_sync.log)"

  services_start keystone-uwsgi || die "keystone did not start"
  log "registering service users, services and endpoints"
  ( set -a; . "$SC/etc/microstack.rc"; set +a
    GLANCE_PASSWORD=$GLANCE_PASSWORD PLACEMENT_PASSWORD=$PLACEMENT_PASSWORD CONTROL_IP=$CONTROL_IP \
      python3 "$LAB/lib/catalog.py" ) || die "keystone catalog setup failed"
  services_start placement-uwsgi glance-api || die "placement/glance did not start"
  touch "$SC/etc/microstack-lab/initialized"
  log "initialised in $((SECONDS - t0)) s"
}
