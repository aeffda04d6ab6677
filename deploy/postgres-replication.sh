#!/bin/bash
# Runs once, when compose.yaml's postgres creates its data folder: the role that the optional
# standby (`docker compose --profile replica up`) streams from. Harmless without a standby.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
