# Starts a throwaway PostgreSQL 15 on a loopback port and exports its connection string
# as SURGICASE_TEST_POSTGRES. PostgreSQL refuses to run as root, so under root (CI) it runs as the
# postgres user; a developer's own user runs it directly. The tests start a server of their own when
# SURGICASE_TEST_POSTGRES is unset; this is for sharing one server across runs.
pg_port=${SURGICASE_PG_PORT:-55432}
pg_dir=""

as_pg_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/sh -c "$1"
  else
    sh -c "$1"
  fi
}

start_postgres() {
  command -v initdb >/dev/null 2>&1 || PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1)"
  command -v initdb >/dev/null 2>&1 || { echo "initdb not found: install PostgreSQL 15 (apt-get install postgresql)"; return 1; }
  # Another server (a developer's, or an earlier run's) may hold the port: take the next free one.
  while (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
  pg_dir=$(mktemp -d /tmp/surgicase-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$pg_dir"
  fi
  as_pg_owner "initdb -D '$pg_dir/data' -U postgres --auth=trust >'$pg_dir/initdb.log' 2>&1" || { cat "$pg_dir/initdb.log"; return 1; }
  as_pg_owner "pg_ctl -D '$pg_dir/data' -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1' -l '$pg_dir/server.log' -w start >/dev/null" \
    || { cat "$pg_dir/server.log"; return 1; }
  export SURGICASE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  echo "PostgreSQL on 127.0.0.1:$pg_port"
}

stop_postgres() {
  [[ -n "$pg_dir" && -d "$pg_dir/data" ]] && as_pg_owner "pg_ctl -D '$pg_dir/data' -m fast stop >/dev/null 2>&1"
  [[ -n "$pg_dir" ]] && rm -rf "$pg_dir"
  return 0
}
