#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: initdb in a temp folder, a free port on 127.0.0.1, trust auth,
# run as the `postgres` user when started as root (initdb refuses root). Stopped and removed at exit.
#
#   scripts/pg-test-server.sh npm test        # runs the command with TEST_DATABASE_URL set (the PostgreSQL suites run)
#   scripts/pg-test-server.sh                 # prints the URL and keeps the server up until Ctrl-C
#
# Finds initdb/pg_ctl on PATH or in /usr/lib/postgresql/<version>/bin (Debian's `postgresql` package).
set -euo pipefail

bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/initdb" ]; then echo "$d"; return; fi
  done
  echo "pg-test-server: initdb not found (install PostgreSQL, e.g. apt-get install -y postgresql)" >&2
  exit 1
}
BIN="$(bin_dir)"
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
DIR="$(mktemp -d "${TMPDIR:-/tmp}/dj-pg-XXXXXX")"
DATA="$DIR/data"

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DIR" --shell /usr/sbin/nologin postgres
  chown postgres "$DIR"
fi

SLEEPER=""
stop() {
  [ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null
  as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT
trap 'exit 130' INT TERM

as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
# small and fast: a throwaway cluster needs no durability
as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }

URL="postgres://postgres@127.0.0.1:$PORT/postgres"
# TEST_DATABASE_URL only: the test suites start bots of their own, which must stay on their SQLite files
export TEST_DATABASE_URL="$URL"
if [ "$#" -gt 0 ]; then
  "$@"
else
  echo "DATABASE_URL=$URL"
  echo "export TEST_DATABASE_URL=$URL   # then: npm test; or DATABASE_URL=$URL npm start  (Ctrl-C here stops and removes the server)" >&2
  # `wait` returns at once on a signal, so the trap stops the server without waiting for the sleep
  sleep infinity &
  SLEEPER=$!
  wait "$SLEEPER"
fi
