#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, in a folder of its own.
#
#   scripts/pg-cluster.sh start DIR            prints one line: postgres://grokvid_admin:PASSWORD@127.0.0.1:PORT/postgres
#   scripts/pg-cluster.sh stop DIR [--remove]  stops it (pg_ctl stop -m fast); --remove then deletes DIR
#
# `start` on a new or empty DIR makes the cluster: superuser grokvid_admin with a random password
# (scram-sha-256 over TCP, trust on the unix socket, which lives in DIR), listening on 127.0.0.1 only,
# on a free port. `start` on a stopped cluster starts it again on the same port with the same data and
# prints the same URL; on a running one it only prints the URL. The settings trade durability for
# speed (fsync=off...): nothing in DIR is meant to outlive a crash.
#
# PostgreSQL refuses to run as root. Run as root, the server runs as the system user grokvid-pg
# (GROKVID_PG_USER to choose another; created when missing, else `nobody`), which owns DIR, so DIR's
# parent folders must be searchable by it (/tmp is). Binaries: scripts/ensure-postgres.sh.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR | stop DIR [--remove]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
command=$1
dir=$2
remove=false
case "$command:${3:-}" in
  start:) ;;
  stop:) ;;
  stop:--remove) remove=true ;;
  *) usage ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
# Nothing to stop in a folder that is not there (a start that failed early, a second stop).
[ "$command" = stop ] && [ ! -d "$dir" ] && exit 0
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"
# Marks DIR as made here: `stop --remove` deletes nothing else.
marker="$dir/.grokvid-pg-cluster"

# The user the server runs as, and how to run a command as it.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  user=${GROKVID_PG_USER:-grokvid-pg}
  if ! id -u "$user" >/dev/null 2>&1; then
    # Another start may create it at the same moment; then it exists and is used all the same.
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" \
      >/dev/null 2>&1 || true
    id -u "$user" >/dev/null 2>&1 || user=nobody
  fi
  as_user=(setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups --)
fi
# The server's own working folder: the caller's (e.g. /root) may be closed to that user.
cd "$dir"

bin=$(bash "$here/ensure-postgres.sh")

running() { "${as_user[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

# Prints the server log's tail on stderr and fails.
fail() {
  echo "pg-cluster: $1" >&2
  [ -f "$dir/server.log" ] && tail -n 20 "$dir/server.log" >&2
  exit 1
}

if [ "$command" = stop ]; then
  if [ -f "$data/PG_VERSION" ] && running; then
    "${as_user[@]}" "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      "${as_user[@]}" "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
      fail "could not stop the server in $data"
  fi
  if $remove; then
    if [ -e "$marker" ]; then rm -rf "$dir"
    elif [ -n "$(ls -A "$dir")" ]; then fail "$dir was not made by pg-cluster.sh; not removing it"
    else rmdir "$dir"
    fi
  fi
  exit 0
fi

if [ ! -f "$data/PG_VERSION" ]; then
  [ -z "$(ls -A "$dir")" ] || fail "$dir is neither empty nor a cluster made by pg-cluster.sh"
  touch "$marker"
  # Hex: nothing to escape in a URL or a config file.
  od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$dir/password"
  chmod 600 "$dir/password"
  if [ ${#as_user[@]} -gt 0 ]; then
    chown -R "$user:$(id -g "$user")" "$dir"
    "${as_user[@]}" test -w "$dir" || fail "$user cannot write to $dir: its parent folders must be searchable"
  fi
  chmod 700 "$dir"
  # -N: no fsync of the new files; C locale: the same sort order on every machine.
  "${as_user[@]}" "$bin/initdb" -D "$data" -U grokvid_admin --pwfile="$dir/password" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C -N >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; fail "initdb failed"; }
  mkdir -p "$dir/socket"
  [ ${#as_user[@]} -eq 0 ] || chown "$user:$(id -g "$user")" "$dir/socket"
  # Later lines win, so these override initdb's defaults; `port` is the last line (see below).
  cat >>"$data/postgresql.conf" <<EOF

# pg-cluster.sh: a throw-away test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
# Several test workers plus batch processes with pools of their own.
max_connections = 300
fsync = off
full_page_writes = off
synchronous_commit = off
port = 0
EOF
  fresh=true
else
  fresh=false
fi

password=$(cat "$dir/password")
port_of() { sed -n 's/^port = \([0-9]*\)$/\1/p' "$data/postgresql.conf" | tail -n 1; }
url() { echo "postgres://grokvid_admin:$password@127.0.0.1:$(port_of)/postgres"; }

if running; then
  url
  exit 0
fi

start_server() {
  "${as_user[@]}" "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1
}

if $fresh; then
  # A random port below Linux's ephemeral range (32768+), where outgoing connections take theirs;
  # another one when that port is taken.
  for _ in $(seq 1 20); do
    port=$((15000 + RANDOM % 17000))
    sed -i "s/^port = [0-9]*$/port = $port/" "$data/postgresql.conf"
    # Removed, not emptied: pg_ctl (as the server's user) must be able to create it.
    rm -f "$dir/server.log"
    start_server && { url; exit 0; }
    grep -q "Address already in use" "$dir/server.log" || fail "the server did not start"
  done
  fail "found no free port"
fi
start_server || fail "the server did not start again on port $(port_of)"
url
