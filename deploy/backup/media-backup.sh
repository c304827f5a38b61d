#!/bin/sh
# Uploaded files (service "media-backup"): mirrors the bucket (or, with no bucket, the media
# volume) into /backups/media every BACKUP_MEDIA_INTERVAL seconds. Files deleted in the
# bucket are kept in the mirror, so an older database dump still finds the files it names.
set -eu
interval="${BACKUP_MEDIA_INTERVAL:-3600}"
mc alias set store "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
if [ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
  source="store/$AWS_STORAGE_BUCKET_NAME"
else
  source="/media"
fi
echo "media-backup: mirroring $source into /backups/media every ${interval}s"
while true; do
  mc mirror --overwrite --quiet "$source" /backups/media || echo "media-backup: FAILED at $(date)" >&2
  sleep "$interval"
done
