#!/bin/sh
# Entry point of the tweet-reel service images (see the Dockerfile at the repository root): runs MAIN_CLASS (set by
# the image's build argument of the same name) on the image's class path, /app/classes plus every jar in /app/lib.
# tini is PID 1: it forwards SIGTERM to java, which stops taking jobs, finishes the ones in hand and exits, and it
# reaps Chromium's and ffmpeg's orphans.
#
#   MAIN_CLASS   the service's main class, e.g. io.tweetreel.composer.ComposerService (the image sets it)
#   JAVA_OPTS    extra JVM options, after the service's own (/app/jvm/*.options, from deploy/jvm/, the same files
#                the dev stack uses), so they win: e.g. JAVA_OPTS=-Xmx1g for a larger heap
#   MALLOC_ARENA_MAX  glibc malloc arenas per process, default 2 as in the dev stack (glibc's own default allows 8
#                per core, and a JVM's many threads each keep native memory in arenas of their own)
#   INSTANCE_ID  the instance's name in /status, logs and Kafka client ids; default <service>-<host name>, so
#                replicas started with `docker compose up --scale` or by Kubernetes tell themselves apart
set -eu

main="${MAIN_CLASS:?MAIN_CLASS is not set: build the image with --build-arg MAIN_CLASS=<the service main class>}"

service="$(printf '%s' "$main" | cut -d. -f3)"   # io.tweetreel.<service>.<Main>
INSTANCE_ID="${INSTANCE_ID:-$service-$(cat /etc/hostname)}"
export INSTANCE_ID

MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_ARENA_MAX

# JAVA_OPTS is a list of options: split on purpose
# shellcheck disable=SC2086
exec java @/app/jvm/service.options @/app/jvm/this-service.options ${JAVA_OPTS:-} \
    -cp "/app/classes:/app/lib/*" "$main" "$@"
