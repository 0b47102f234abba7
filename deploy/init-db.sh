#!/bin/sh
# Runs once, as the PostgreSQL superuser, when the TimescaleDB container initialises an empty
# volume (/docker-entrypoint-initdb.d). It creates what PlatformLens runs as, so neither Grafana's
# datasource nor the CLI needs a superuser:
#   $PLATFORMLENS_DB_USER           LOGIN, not superuser; owns the $PLATFORMLENS_DB_SCHEMA schema
#                                   and may create schemas in the database (migrations create
#                                   and alter tables, hypertables and
#                                   continuous aggregates as their owner). CREATEROLE so a
#                                   migration may manage the schema's own roles.
#   ${PLATFORMLENS_DB_SCHEMA}_reader NOLOGIN read role for read-only query paths (SQL mode uses
#                                   SET LOCAL ROLE to it); granted to the owner with ADMIN OPTION,
#                                   so the owner can SET ROLE to it and grant it on.
# The timescaledb extension is created by the image's own init script (as the superuser, in
# POSTGRES_DB), so migrations find it installed; on plain PostgreSQL the script works unchanged.
# The password is only set here: changing PLATFORMLENS_DB_PASSWORD later needs a fresh volume
# (`docker compose down -v`) or `ALTER ROLE … PASSWORD …` (README, "Local stack").
set -eu
: "${PLATFORMLENS_DB_USER:?}" "${PLATFORMLENS_DB_PASSWORD:?}" "${PLATFORMLENS_DB_SCHEMA:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner="$PLATFORMLENS_DB_USER" -v owner_password="$PLATFORMLENS_DB_PASSWORD" \
  -v schema="$PLATFORMLENS_DB_SCHEMA" -v reader="${PLATFORMLENS_DB_SCHEMA}_reader" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB CREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"reader" NOLOGIN;
GRANT :"reader" TO :"owner" WITH ADMIN OPTION;
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"db" TO :"owner";
CREATE SCHEMA :"schema" AUTHORIZATION :"owner";
GRANT USAGE ON SCHEMA :"schema" TO :"reader";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema" GRANT SELECT ON TABLES TO :"reader";
SQL
