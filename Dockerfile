# syntax=docker/dockerfile:1
# The image of each tweet-reel service, chosen by build arguments (docker-compose.yml passes them per service):
#   SERVICE       the Maven module:        renderer-service | composer-service | storage-service |
#                                          notifier-service | api-gateway
#   MAIN_CLASS    its main class:          io.tweetreel.renderer.RendererService, ...
#   PORT          the port it serves:      3101 | 3102 | 3103 | 3104 (ops endpoints) | 3000 (gateway)
#   APT_PACKAGES  what it needs from Debian besides Java: the renderer Chromium and the Noto fonts, the composer
#                 ffmpeg, the others nothing
# Build context: the repository root. By hand, e.g.:
#   docker build --build-arg SERVICE=composer-service --build-arg MAIN_CLASS=io.tweetreel.composer.ComposerService \
#     --build-arg PORT=3102 --build-arg APT_PACKAGES=ffmpeg -t tweetreel/composer-service .

# ---- build: the service's part of the Maven reactor, with the project's own wrapper ------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<module>, e.g. renderer-service" >&2; exit 1; }
# The pom.xml of every module the image build reads: -Dimage (the root pom's "image" profile) leaves dev-stack,
# system-tests and bench out of the reactor, and the test dependencies and tests out of the services.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY schemas/pom.xml schemas/
COPY pipeline-core/pom.xml pipeline-core/
COPY renderer-service/pom.xml renderer-service/
COPY composer-service/pom.xml composer-service/
COPY storage-service/pom.xml storage-service/
COPY notifier-service/pom.xml notifier-service/
COPY api-gateway/pom.xml api-gateway/
# the sources of the service and of the modules it is built with (-am)
COPY schemas/src/ schemas/src/
COPY pipeline-core/src/ pipeline-core/src/
COPY ${SERVICE}/src/ ${SERVICE}/src/
# The local repository is a build cache shared by the five images (file locks: they build at the same time).
# copy-dependencies puts the runtime class path (this project's modules as jars included) in target/dependency.
RUN --mount=type=cache,target=/root/.m2 \
    sh ./mvnw -B -q -Dimage \
      -Daether.syncContext.named.factory=file-lock -Daether.syncContext.named.nameMapper=file-gav \
      -pl "$SERVICE" -am package dependency:copy-dependencies -DincludeScope=runtime -Dmdep.prependGroupId=true

# ---- runtime: Debian 12 + Java 17 JRE, non-root --------------------------------------------------------------------
FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
# No service-specific argument is declared above this step, so its layer is the same in the five images.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates tini curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 tweetreel \
 && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin tweetreel \
 && install -d -o tweetreel -g tweetreel /var/lib/tweetreel

# The renderer's Chromium is driven by Playwright with --no-sandbox (the container is the sandbox), and needs the
# Noto fonts: core (Latin, Greek, Cyrillic, Arabic, Hebrew, ...), colour emoji, CJK. The composer's ffmpeg and
# ffprobe land in /usr/bin, where it looks by default (FFMPEG_PATH).
# (APT_PACKAGES is unquoted on purpose: a space-separated list)
ARG APT_PACKAGES=""
RUN if [ -n "$APT_PACKAGES" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends $APT_PACKAGES \
      && rm -rf /var/lib/apt/lists/*; \
    fi

# STATE_DIR: Kafka Streams state and per-job temporary files (deleted after each job)
ENV STATE_DIR=/var/lib/tweetreel

COPY deploy/docker/entrypoint.sh /app/entrypoint.sh
# The JVM options the dev stack also runs the service with (heap cap, collector, ...): the shared ones and the
# service's own; the entry point passes JAVA_OPTS after them, so an operator's JAVA_OPTS wins.
COPY deploy/jvm/service.options /app/jvm/service.options
ARG SERVICE
COPY deploy/jvm/${SERVICE}.options /app/jvm/this-service.options
COPY --from=build /build/${SERVICE}/target/dependency/ /app/lib/
COPY --from=build /build/${SERVICE}/target/classes/ /app/classes/
# what entrypoint.sh runs
ARG MAIN_CLASS
RUN test -n "$MAIN_CLASS" || { echo "build with --build-arg MAIN_CLASS=<the service's main class>" >&2; exit 1; }
ENV MAIN_CLASS=${MAIN_CLASS}

USER 10001:10001
WORKDIR /var/lib/tweetreel
# the gateway's HTTP API, web page and ops endpoints (GATEWAY_PORT), or a stage's ops endpoints: /health/live,
# /health/ready, /metrics, /status (OPS_PORT)
ARG PORT
EXPOSE ${PORT}
ENTRYPOINT ["/usr/bin/tini", "--", "/bin/sh", "/app/entrypoint.sh"]
