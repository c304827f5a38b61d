#!/bin/sh
# Puts the mirrored uploaded files back (run once, see README "Backups and restore"):
#   docker compose run --rm --entrypoint /bin/sh media-backup /deploy/backup/media-restore.sh
# Copies /backups/media into the bucket (or the media volume), overwriting nothing newer.
set -eu
mc alias set store "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
if [ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
  mc mirror /backups/media "store/$AWS_STORAGE_BUCKET_NAME"
else
  echo "no bucket: copy /backups/media into the media volume instead" >&2
  exit 1
fi
