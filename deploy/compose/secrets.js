#!/usr/bin/env node
// The secrets service of docker-compose.yml (the LGSP image, as root, before anything else):
// makes the secrets that are missing and gives each service a volume of its own holding only
// what that service reads. Nothing here is ever printed.
//
//   /run/lgsp/kafka-credentials/<principal>.password
//       every SCRAM password, made once (24 random bytes, hex): the broker's, the
//       administrator's, and one per system. It is hubctl's credentials directory
//       (KAFKA_CREDENTIALS_DIR): `hubctl kafka users --apply` sets them on the broker.
//   /run/lgsp/<service>/kafka.password      the service's own password (a copy, every run)
//   /run/lgsp/<service>/subject-hash.key    SUBJECT_HASH_KEY, as the environment gives it
//   /run/lgsp/hub/lgsp_admin.password       the administrator's, for the hub's ACL sync
//   /run/lgsp/hub/hub-admin.key             HUB_ADMIN_KEY, made once (32 random bytes, hex)
//   /run/lgsp/hub/seal-signing.pem          the Ed25519 key seals are signed with, made once
//
// The kafka-init service copies the broker's and the administrator's passwords into the
// broker's volume.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const RUN = process.env.LGSP_RUN_DIR || '/run/lgsp';
const CREDENTIALS = path.join(RUN, 'kafka-credentials');
const BROKER = 'lgsp_broker';
const ADMIN = 'lgsp_admin';
// Each service's volume (its compose service name) and the principal it connects as.
const SERVICES = [
  { volume: 'hub', principal: 'hub' },
  { volume: 'civil-status', principal: 'civil-status' },
  { volume: 'land', principal: 'land' },
  { volume: 'insurance', principal: 'insurance' },
  { volume: 'population-adapter', principal: 'population' },
];

const say = (msg) => process.stdout.write(`[secrets] ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`[secrets] ERROR: ${msg}\n`);
  process.exit(1);
};

/** The services run as the image's `node` user; everything they read belongs to it. */
function nodeUser() {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('node:'));
  if (!line) fail('no user "node" in /etc/passwd');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function write(file, content, owner) {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.chownSync(tmp, owner.uid, owner.gid);
  fs.renameSync(tmp, file);
}

/** The file's content; made by `make` the first time. */
function once(file, make, owner) {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    write(file, make(), owner);
    say(`made ${path.relative(RUN, file)}`);
  }
  return fs.readFileSync(file, 'utf8');
}

function ownDir(dir, owner) {
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, owner.uid, owner.gid);
  fs.chmodSync(dir, 0o700);
}

function main() {
  const subjectHashKey = process.env.SUBJECT_HASH_KEY || '';
  if (subjectHashKey.length < 16) fail('SUBJECT_HASH_KEY must be at least 16 characters');
  const owner = nodeUser();
  const randomHex = (bytes) => () => crypto.randomBytes(bytes).toString('hex');

  ownDir(CREDENTIALS, owner);
  const password = (principal) =>
    once(path.join(CREDENTIALS, `${principal}.password`), randomHex(24), owner);
  password(BROKER);
  password(ADMIN);

  for (const s of SERVICES) {
    const dir = path.join(RUN, s.volume);
    ownDir(dir, owner);
    write(path.join(dir, 'kafka.password'), password(s.principal), owner);
    write(path.join(dir, 'subject-hash.key'), subjectHashKey, owner);
  }

  const hub = path.join(RUN, 'hub');
  write(path.join(hub, `${ADMIN}.password`), password(ADMIN), owner);
  once(path.join(hub, 'hub-admin.key'), randomHex(32), owner);
  once(
    path.join(hub, 'seal-signing.pem'),
    () =>
      crypto
        .generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    owner,
  );
  say(`ready: ${SERVICES.map((s) => s.volume).join(', ')}`);
}

main();
