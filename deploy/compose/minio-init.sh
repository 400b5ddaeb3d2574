#!/bin/sh
# One-shot MinIO set-up for docker-compose: the pipeline's two buckets and the expiry rule of the videos bucket.
# Idempotent: it runs at every `docker compose up`.
#
# The storage service also writes the videos bucket's lifecycle rule at start-up (from STORAGE_TTL_HOURS, rounded
# up to whole days) and deletes expired videos itself every STORAGE_SWEEP_INTERVAL; this rule is the safety net
# for when it is not running.
set -eu

mc alias set local "$S3_ENDPOINT" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "local/$S3_WORK_BUCKET"
mc mb --ignore-existing "local/$S3_VIDEOS_BUCKET"

# replace the rule instead of adding one more at every start
mc ilm rule rm --all --force "local/$S3_VIDEOS_BUCKET" >/dev/null 2>&1 || true
mc ilm rule add --expire-days "$VIDEOS_EXPIRE_DAYS" "local/$S3_VIDEOS_BUCKET"
mc ilm rule ls "local/$S3_VIDEOS_BUCKET"
