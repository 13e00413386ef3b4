# A private PostgreSQL cluster for a test or a benchmark (sourced): `pg_start` installs Debian's postgresql when
# missing, makes a cluster in a temporary folder (initdb; the user evq, password 'secret' over TCP), starts it on a
# free loopback port and stops it, and removes the folder, when the shell exits. It sets CLUSTER, PORT and PGBIN;
# `psql_ ARGS…` runs psql on it over its socket.

as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_() { as_owner "$PGBIN/psql" -X -q -h "$CLUSTER" -p "$PORT" -U evq -d postgres "$@"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pg_start() {
  local sudo; sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    $sudo apt-get update -qq && $sudo apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  # PostgreSQL will not run as root: as root, the cluster belongs to the postgres user the package made.
  CLUSTER=$(mktemp -d "${TMPDIR:-/tmp}/evq-pg-XXXXXX")
  [ "$(id -u)" = 0 ] && chown postgres "$CLUSTER"
  PORT=$(free_port)
  trap pg_stop EXIT
  as_owner "$PGBIN/initdb" -D "$CLUSTER/data" -U evq --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  as_owner "$PGBIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/server.log" -w \
    -o "-p $PORT -k $CLUSTER -c listen_addresses=127.0.0.1 ${PG_OPTIONS:-}" start >/dev/null
  psql_ -c "ALTER USER evq PASSWORD 'secret'"
}

pg_stop() {
  as_owner "$PGBIN/pg_ctl" -D "$CLUSTER/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$CLUSTER"
}
