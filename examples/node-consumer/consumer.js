#!/usr/bin/env node
// A consumer of Accord's events in another language: follows stream ACCORD
// through a durable JetStream consumer and validates every message against
// the JSON Schemas Accord publishes (proto/events/), by the message's `type`
// and `schema_version`. See README "Event log" and proto/asyncapi.yaml.
//
//   npm install            # or, in this repository: make tools
//   node consumer.js [--nats nats://127.0.0.1:4222] [--filter accord.v1.>]
//                    [--durable node-consumer] [--idle-ms 0] [--schemas DIR]
//
// Prints one JSON line per invalid message, and at the end (after --idle-ms
// without a message; 0 = follow forever) a summary line
// {"summary": {"received", "valid", "invalid", "types": {type: count}}}.
// Exits 1 when any message was invalid.
'use strict';

const fs = require('fs');
const path = require('path');
const { connect, AckPolicy, DeliverPolicy, StringCodec } = require('nats');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

function args() {
  const out = {
    nats: process.env.NATS_URL || 'nats://127.0.0.1:4222',
    stream: 'ACCORD',
    filter: 'accord.v1.>',
    durable: 'node-consumer',
    idleMs: 0,
    schemas: path.join(__dirname, '..', '..', 'proto', 'events'),
  };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = key === 'idleMs' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return out;
}

// One compiled validator per schema file, loaded on first use.
function validators(dir) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const cache = new Map();
  const load = (file) => {
    if (!cache.has(file)) {
      const full = path.join(dir, file);
      cache.set(file, fs.existsSync(full) ? ajv.compile(JSON.parse(fs.readFileSync(full, 'utf8'))) : null);
    }
    return cache.get(file);
  };
  return (message) => {
    const envelope = load('envelope.json');
    if (!envelope(message)) return envelope.errors;
    const own = load(`v${message.schema_version}/${message.type}.json`);
    if (!own) return [{ message: `no schema for ${message.type} v${message.schema_version}` }];
    return own(message) ? null : own.errors;
  };
}

async function main() {
  const opts = args();
  const validate = validators(opts.schemas);
  // A server run from Accord's shipped configs wants a user: `subscriber`
  // (read only) — NATS_USER=subscriber NATS_PASSWORD=… (README "Security").
  const auth = process.env.NATS_USER
    ? { user: process.env.NATS_USER, pass: process.env.NATS_PASSWORD }
    : {};
  const nc = await connect({ servers: opts.nats, ...auth });
  const jsm = await nc.jetstreamManager();
  // Durable: a restart resumes after the last acknowledged message.
  await jsm.consumers.add(opts.stream, {
    durable_name: opts.durable,
    filter_subject: opts.filter,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
  });
  const consumer = await nc.jetstream().consumers.get(opts.stream, opts.durable);
  const sc = StringCodec();
  const summary = { received: 0, valid: 0, invalid: 0, types: {} };
  let idle = null;
  const messages = await consumer.consume({ max_messages: 256 });
  const rearm = () => {
    if (opts.idleMs > 0) {
      clearTimeout(idle);
      idle = setTimeout(() => messages.stop(), opts.idleMs);
    }
  };
  rearm();
  for await (const m of messages) {
    rearm();
    summary.received += 1;
    let message = null;
    let errors;
    try {
      message = JSON.parse(sc.decode(m.data));
      errors = validate(message);
    } catch (e) {
      errors = [{ message: `not JSON: ${e.message}` }];
    }
    if (errors) {
      summary.invalid += 1;
      console.log(JSON.stringify({ invalid: m.subject, seq: m.seq, errors }));
    } else {
      summary.valid += 1;
      summary.types[message.type] = (summary.types[message.type] || 0) + 1;
    }
    m.ack();
  }
  clearTimeout(idle);
  await nc.drain();
  console.log(JSON.stringify({ summary }));
  process.exit(summary.invalid > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
