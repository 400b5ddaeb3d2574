#!/bin/sh
# One-shot Kafka set-up for docker-compose, run before the schema registry starts. The registry keeps every schema
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

# Transaction version 1: producers add partitions to a transaction themselves and each partition leader verifies
# them with the coordinator. Version 2 (KIP-890 part 2, what a new 4.x cluster starts with) left a stage's output
# in a transaction its coordinator had already ended when the broker stopped around the send, freezing the
# partition (tweet-reel issue #12). Idempotent: a cluster at 1 stays at 1.
"$bin/kafka-features.sh" --bootstrap-server "$bootstrap" downgrade --feature transaction.version=1
echo "transaction.version 1"
