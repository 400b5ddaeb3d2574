#!/bin/sh
# One-shot Kafka set-up for docker-compose, run before the schema registry starts: the registry keeps every schema
# in these two topics (kafkasql storage), so they must never expire. Left to itself, Apicurio Registry 3.0 would
# create them with the broker's default retention (7 days) and lose the schemas after a week. Idempotent.
# The pipeline's own topics (videos.*) are created by the services at start-up, with TOPIC_PARTITIONS partitions.
set -eu

bootstrap="${BOOTSTRAP_SERVERS:?}"
bin=/opt/kafka/bin

for topic in kafkasql-journal kafkasql-snapshots; do
    "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
        --partitions 1 --replication-factor 1 --config retention.ms=-1 --config retention.bytes=-1
    # topics an older set-up (or the registry itself) created get the same retention
    "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics --entity-name "$topic" \
        --add-config retention.ms=-1,retention.bytes=-1
done
echo "registry topics ready"
