#!/usr/bin/env python3
"""Follow one party's new commitments and look each up over gRPC.

A durable JetStream consumer (nats-py) on ``accord.v1.party.<P>.made.*``
(the party feed: a copy of every CommitmentMade per committing party, see
README "Event log") gets each new commitment of party P; the gRPC API
(stubs generated from proto/accord/v1/accord.proto with grpcio-tools) gives
its current state. Being durable, a restarted follower resumes where it
stopped: each commitment is printed once.

    python -m grpc_tools.protoc -I proto --python_out=STUBS \
        --grpc_python_out=STUBS proto/accord/v1/accord.proto
    python follow.py --stubs STUBS --party NATO [--nats nats://127.0.0.1:4222]
        [--grpc 127.0.0.1:50051] [--token T] [--durable py-follow-NATO]
        [--idle-secs 0]

Prints one JSON line per commitment: {"position", "commitment_id",
"status", "kind", "committers", "text"}; with --idle-secs N it stops after
N seconds without a message and prints {"summary": {"received": n}}.
"""

import argparse
import asyncio
import json
import os
import sys


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nats", default=os.environ.get("NATS_URL", "nats://127.0.0.1:4222"))
    p.add_argument("--grpc", default=os.environ.get("ACCORD_GRPC", "127.0.0.1:50051"),
                   help="Accord's gRPC address (HOST:PORT, plaintext)")
    p.add_argument("--token", default=os.environ.get("ACCORD_TOKEN", ""),
                   help="bearer token (reader role is enough)")
    p.add_argument("--party", required=True, help="party code, e.g. NATO or JPN")
    p.add_argument("--stream", default="ACCORD")
    p.add_argument("--durable", help="durable consumer name (default py-follow-<PARTY>)")
    p.add_argument("--stubs", required=True, help="folder with the generated accord/v1 stubs")
    p.add_argument("--idle-secs", type=float, default=0,
                   help="stop after this long without a message (0: follow forever)")
    return p.parse_args()


def short(enum, value, prefix):
    """STATUS_FULFILLED -> fulfilled."""
    return enum.Name(value).removeprefix(prefix).lower()


async def follow(args):
    sys.path.insert(0, args.stubs)
    import grpc
    import nats
    from nats.errors import TimeoutError as NatsTimeout
    from accord.v1 import accord_pb2, accord_pb2_grpc

    metadata = [("authorization", f"Bearer {args.token}")] if args.token else []
    channel = grpc.aio.insecure_channel(args.grpc)
    accord = accord_pb2_grpc.AccordStub(channel)
    nc = await nats.connect(args.nats)
    js = nc.jetstream()
    subject = f"accord.v1.party.{args.party}.made.*"
    durable = args.durable or f"py-follow-{args.party}"
    sub = await js.pull_subscribe(subject, durable=durable, stream=args.stream)
    received = 0
    idle = 0.0
    try:
        while args.idle_secs <= 0 or idle < args.idle_secs:
            try:
                msgs = await sub.fetch(batch=32, timeout=1)
            # nats-py raises its own TimeoutError or, from a fetch of several
            # messages, asyncio's: both mean nothing arrived in time.
            except (NatsTimeout, asyncio.TimeoutError):
                idle += 1
                continue
            idle = 0.0
            for msg in msgs:
                commitment_id = msg.subject.rsplit(".", 1)[-1]
                position = msg.metadata.sequence.stream
                answer = await accord.GetCommitment(
                    accord_pb2.GetCommitmentRequest(id=commitment_id, min_position=position),
                    metadata=metadata,
                )
                c = answer.commitment
                print(json.dumps({
                    "position": position,
                    "commitment_id": c.id,
                    "status": short(accord_pb2.Status, c.status, "STATUS_"),
                    "kind": short(accord_pb2.Kind, c.kind, "KIND_"),
                    "committers": list(c.committers),
                    "text": c.text,
                }), flush=True)
                await msg.ack()
                received += 1
    finally:
        await nc.close()
        await channel.close()
    print(json.dumps({"summary": {"received": received}}), flush=True)


if __name__ == "__main__":
    asyncio.run(follow(parse_args()))
