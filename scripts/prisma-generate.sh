#!/usr/bin/env bash
# Generates the Prisma client (src/generated/prisma).
# Every Prisma CLI command first tries to download the native schema engine, which this
# project does not use (migrations run through src/db/migrate.ts). Pointing
# PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download; `generate` never
# runs the engine. Where the binary host is reachable the variable is harmless.
set -euo pipefail
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$PWD/package.json}"
export PRISMA_HIDE_UPDATE_MESSAGE=1
exec npx --no-install prisma generate "$@"
