#!/usr/bin/env bash
# One-command set-up of ezh on a Debian machine: installs what the system lacks (Chromium for
# PDFs, poppler-utils for PDF tests, Redis for service mode), starts Redis and PostgreSQL when
# nothing listens on their ports, installs the npm dependencies and builds. Idempotent: a second
# run does only what is missing. No step downloads a browser: ezh uses Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

# --- system packages -------------------------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || [ -x "${PUPPETEER_EXECUTABLE_PATH:-/nonexistent}" ] || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v redis-server >/dev/null 2>&1 || listening 6379 || need+=(redis-server)
command -v psql >/dev/null 2>&1 || listening 5432 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} from Debian's packages"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- services (tests of service mode need both; the embedded demo needs neither) ------------
if ! listening 6379; then
  log "starting redis-server on 127.0.0.1:6379"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ezh.log
  for _ in $(seq 1 50); do listening 6379 && break; sleep 0.1; done
fi
if ! listening 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 100); do listening 5432 && break; sleep 0.1; done
  fi
  if listening 5432 && command -v psql >/dev/null 2>&1; then
    su postgres -c "psql -tc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb test" 2>/dev/null || true
  fi
fi

# --- npm dependencies and build --------------------------------------------------------------
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.ezh-lock-hash ] || [ "$(cat node_modules/.ezh-lock-hash)" != "$lock_hash" ]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.ezh-lock-hash
else
  log "npm dependencies up to date"
fi
log "building"
npm run build --silent
log "ready: run 'npm start' for the demo, 'npm test' for the tests"
