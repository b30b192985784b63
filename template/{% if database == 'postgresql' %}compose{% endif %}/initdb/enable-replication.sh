#!/usr/bin/env bash
# Lets the `replica` service of compose.yaml's `scale` profile stream from this
# server: a `replicator` role (the local password) and a pg_hba.conf line for it.
# Runs once, when the compose volume is first created. On a server made before
# this script existed, run it by hand (it may run any number of times):
#     docker compose exec db bash /docker-entrypoint-initdb.d/enable-replication.sh
set -e

psql -v ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \
    --set=password="$POSTGRES_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE replicator'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') \gexec
ALTER ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL

rule="host replication replicator all scram-sha-256"
grep --quiet --line-regexp --fixed-strings "$rule" "$PGDATA/pg_hba.conf" \
    || echo "$rule" >> "$PGDATA/pg_hba.conf"
psql -v ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \
    --command="SELECT pg_reload_conf()" > /dev/null
