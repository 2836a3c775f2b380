#!/usr/bin/env bash
# The PostgreSQL tests run a throw-away cluster (scripts/pg-cluster.sh) of Debian's PostgreSQL server.
# Finds its server binaries (initdb, pg_ctl, postgres): GROKVID_PG_BIN, else PATH, else the newest
# /usr/lib/postgresql/*/bin (Debian keeps them off PATH). Installs Debian's `postgresql` package when
# they are missing. Prints the folder that holds all three on stdout, nothing else.
# Used by .ci/run, scripts/pg-cluster.sh and the vitest global setup (test/setup/postgres.ts).
set -euo pipefail

# A folder that holds all three (a PATH entry may be a symlink into the real folder).
holds_server() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]; }

find_bin() {
  if [ -n "${GROKVID_PG_BIN:-}" ]; then
    holds_server "$GROKVID_PG_BIN" && { echo "$GROKVID_PG_BIN"; return 0; }
    echo "GROKVID_PG_BIN=$GROKVID_PG_BIN does not hold initdb, pg_ctl and postgres" >&2
    return 2
  fi
  local initdb dir
  if initdb=$(command -v initdb 2>/dev/null); then
    # Debian's pg_wrapper links resolve elsewhere; only a folder with all three counts.
    dir=$(dirname "$(readlink -f "$initdb")")
    holds_server "$dir" && { echo "$dir"; return 0; }
  fi
  # Newest major version first: 16 before 15 (sort -V, not the shell's 10-before-9 order).
  while read -r dir; do
    holds_server "$dir" && { echo "$dir"; return 0; }
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
  return 1
}

status=0
find_bin || status=$?
[ "$status" -eq 0 ] && exit 0
# A wrong GROKVID_PG_BIN is the caller's mistake; installing a package would hide it.
[ "$status" -eq 2 ] && exit 1

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else
    echo "PostgreSQL is missing and this user cannot install it: apt-get install postgresql (as root)" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL is missing and there is no apt-get here: install its server, or set GROKVID_PG_BIN" >&2
  exit 1
fi

# Debian's package would create a "main" cluster and start it on port 5432, a server nobody here
# uses. On a machine that has never had postgresql-common, its createcluster.conf says not to.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  "${as_root[@]}" mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | "${as_root[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

# `env` because sudo drops the caller's environment; UCF_FORCE_CONFFOLD keeps the file above.
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get)
# A fresh machine may have no package lists yet; an install from stale lists is tried first.
if ! "${apt[@]}" install -y -qq postgresql >/dev/null 2>&1; then
  "${apt[@]}" update -qq >&2
  "${apt[@]}" install -y -qq postgresql >&2
fi
find_bin || { echo "postgresql is installed but initdb, pg_ctl and postgres are not found" >&2; exit 1; }
