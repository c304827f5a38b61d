#!/usr/bin/env bash
# Database backups (service "backup"): a custom-format pg_dump of the database the PG*
# variables name, every day at BACKUP_AT (local time, TZ), into BACKUP_DIR; only the newest
# BACKUP_KEEP dumps are kept. `pg-backup.sh --once` writes one dump now and exits.
# A dump is written under a temporary name, checked with `pg_restore --list`, then renamed,
# so a half-written file never looks like a backup. Restore: bin/restore-backup.
set -euo pipefail
dir="${BACKUP_DIR:-/backups/db}"
keep="${BACKUP_KEEP:-14}"
at="${BACKUP_AT:-03:00}"

dump_once() {
  mkdir -p "$dir"
  local stamp name tmp
  stamp="$(date +%Y%m%d-%H%M%S)"
  name="$dir/${PGDATABASE:-partner_center}-$stamp.dump"
  tmp="$dir/.partial-$stamp.dump"
  trap 'rm -f "$tmp"' RETURN
  pg_dump --format=custom --no-owner --no-privileges --file="$tmp"
  pg_restore --list "$tmp" >/dev/null
  mv "$tmp" "$name"
  # Retention: newest first, everything after the first $keep goes.
  find "$dir" -maxdepth 1 -name '*.dump' ! -name '.*' -printf '%T@ %p\n' \
    | sort -rn | tail -n "+$((keep + 1))" | cut -d' ' -f2- | xargs -r rm -f --
  echo "backup: wrote $name ($(du -h "$name" | cut -f1)); keeping the newest $keep"
}

if [ "${1:-}" = "--once" ]; then
  dump_once
  exit 0
fi
echo "backup: daily at $at ($(date +%Z)), keeping $keep dumps in $dir"
while true; do
  now="$(date +%s)"
  next="$(date -d "today $at" +%s)"
  [ "$next" -gt "$now" ] || next="$(date -d "tomorrow $at" +%s)"
  sleep "$((next - now))"
  dump_once || echo "backup: FAILED at $(date)" >&2
done
