#!/usr/bin/env bash
# Make the machine's PostgreSQL 15 cluster (127.0.0.1:5432) run pg_cron, as CI needs:
# install Debian's postgresql-15-cron, preload it, point it at the `postgres` database and
# restart the cluster. Idempotent: with pg_cron already preloaded it changes nothing.
set -euo pipefail

psql_q() { psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc "$1"; }

if [ ! -f /usr/share/postgresql/15/extension/pg_cron.control ]; then
  echo "installing postgresql-15-cron"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-cron >/dev/null
fi

if psql_q "SHOW shared_preload_libraries" | grep -q pg_cron; then
  exit 0
fi
echo "preloading pg_cron on the PostgreSQL 15 cluster and restarting it"
conf_dir=$(dirname "$(psql_q "SHOW config_file")")/conf.d
mkdir -p "$conf_dir"
printf "%s\n" "# written by schemactl's scripts/setup_pg15_cron.sh" \
  "shared_preload_libraries = 'pg_cron'" "cron.database_name = 'postgres'" \
  > "$conf_dir/schemactl-pg-cron.conf"
pg_ctlcluster --skip-systemctl-redirect 15 main restart
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
psql_q "SHOW shared_preload_libraries" | grep -q pg_cron
