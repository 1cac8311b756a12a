#!/usr/bin/env bash
# Sourced by deploy/run.sh and deploy/cluster/start.sh: local development
# passwords for the NATS users of deploy/nats-users.conf (and the cluster
# route), generated once into .accord/nats-passwords.env (git-ignored, mode
# 600) and exported. Values already in the environment win.
# Not for production: there, set them from your secret store.
NATS_PASSWORDS_FILE=${NATS_PASSWORDS_FILE:-.accord/nats-passwords.env}
if [[ ! -f $NATS_PASSWORDS_FILE ]]; then
  mkdir -p "$(dirname "$NATS_PASSWORDS_FILE")"
  (
    umask 077
    for name in ACCORD_NATS_PASSWORD ACCORD_SUBSCRIBER_PASSWORD ACCORD_ROUTE_PASSWORD; do
      # Letters and digits only: the route password also goes into URLs.
      echo "$name=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)"
    done >"$NATS_PASSWORDS_FILE"
  )
  echo "generated local NATS passwords in $NATS_PASSWORDS_FILE"
fi
while IFS='=' read -r name value; do
  [[ $name =~ ^[A-Z_]+$ ]] || continue
  if [[ -z ${!name:-} ]]; then export "$name=$value"; else export "$name"; fi
done <"$NATS_PASSWORDS_FILE"
