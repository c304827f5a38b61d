#!/bin/sh
# One-shot (service minio-init): the private bucket for uploaded files and the app's own
# MinIO user, allowed to read and write objects. Safe to run at every start.
set -eu
mc alias set store "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
if [ -z "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
  echo "minio-init: AWS_STORAGE_BUCKET_NAME is empty: uploaded files stay in the media volume"
  exit 0
fi
mc mb --ignore-existing "store/$AWS_STORAGE_BUCKET_NAME"
mc anonymous set none "store/$AWS_STORAGE_BUCKET_NAME" >/dev/null   # never public
mc admin user add store "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >/dev/null
if ! mc admin user info store "$AWS_ACCESS_KEY_ID" | grep -q readwrite; then
  mc admin policy attach store readwrite --user "$AWS_ACCESS_KEY_ID" >/dev/null
fi
echo "minio-init: bucket $AWS_STORAGE_BUCKET_NAME ready for user $AWS_ACCESS_KEY_ID"
