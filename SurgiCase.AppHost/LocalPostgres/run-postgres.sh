#!/usr/bin/env bash
# Runs a throwaway local PostgreSQL for the AppHost's cluster mode: creates the data folder on first
# use, then runs the server in the foreground so Aspire can stop it. PostgreSQL refuses to run as
# root, so as root it runs as the 'postgres' user.
set -euo pipefail
data_dir=$1
port=$2
bin_dir=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | tail -n 1)")

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

mkdir -p "$data_dir"
[[ $(id -u) -eq 0 ]] && chown postgres "$data_dir"
if [[ ! -f "$data_dir/PG_VERSION" ]]; then
  as_owner "'$bin_dir/initdb' -D '$data_dir' -U postgres --auth=trust" >/dev/null
fi

# Written on every start, so a data folder from before the per-service logins changes too: each service logs in as
# its own role with its password over TCP; the superuser only through the socket in the data folder (whoever can
# open that folder owns the server anyway), which the AppHost uses to create the services' logins.
cat > "$data_dir/pg_hba.conf" <<'HBA'
local all postgres trust
local all all scram-sha-256
host all postgres 0.0.0.0/0 reject
host all postgres ::/0 reject
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
HBA
[[ $(id -u) -eq 0 ]] && chown postgres "$data_dir/pg_hba.conf"

if [[ $(id -u) -eq 0 ]]; then
  exec su postgres -s /bin/sh -c "exec '$bin_dir/postgres' -D '$data_dir' -p $port -k '$data_dir' -c listen_addresses=127.0.0.1"
fi
exec "$bin_dir/postgres" -D "$data_dir" -p "$port" -k "$data_dir" -c listen_addresses=127.0.0.1
