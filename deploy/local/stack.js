#!/usr/bin/env node
// `npm start`: the whole LGSP stack on this machine — dependencies, build, Kafka,
// databases and migrations, then every service (`--replicas name=N` for several of one) —
// supervised: a service that exits is restarted with a backoff, and one that keeps crashing
// is given up (deploy/local/supervisor.js); a clean stop on Ctrl-C.
// Only Node's built-ins are used here: this runs before dependencies are installed.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { parseReplicas, replicaOf, restartTracker, RESTART_POLICY } = require('./supervisor');

const root = path.resolve(__dirname, '../..');
const localDir = process.env.LGSP_LOCAL_DIR || path.join(root, '.local');
const logDir = path.join(localDir, 'logs');
const credentialsDir =
  process.env.KAFKA_CREDENTIALS_DIR || path.join(localDir, 'kafka', 'credentials');
// `system`: the member system each app acts as, and so its principal on the broker.
const APPS = [
  { name: 'hub', port: 3000, system: 'hub' },
  { name: 'civil-status', port: 3001, system: 'civil-status' },
  { name: 'land', port: 3002, system: 'land' },
  { name: 'insurance', port: 3003, system: 'insurance' },
  { name: 'population-adapter', port: 3004, system: 'population' },
];
const env = process.env;
const say = (msg) => process.stdout.write(`[stack] ${msg}\n`);
/**
 * The hub's scheduling priority (nice, 10 by default) on this machine. The hub reads what
 * the others publish and logs it: no record of a chain waits for it, while every other
 * service is on a chain's path. Where they all share a machine's cores, a lower priority
 * for the hub lets the chain go first; the hub still has every cycle the others leave, and
 * catches up in the gaps (measured on 2 cores: half-load p99 210 ms at 10 against 300 ms at
 * 0, the sustained rate 4 % lower; docs/bench/throughput.md). 0 gives it the others' priority.
 */
const hubNice = Number(env.LGSP_HUB_NICE ?? 10);
if (!Number.isInteger(hubNice) || hubNice < -20 || hubNice > 19) {
  process.stderr.write(
    `LGSP_HUB_NICE must be a whole number from -20 to 19 (got ${env.LGSP_HUB_NICE})\n`,
  );
  process.exit(2);
}
const prefixOf = (name) => name.toUpperCase().replace(/-/g, '_');
let replicaCounts;
try {
  replicaCounts = parseReplicas(
    process.argv.slice(2),
    env.LGSP_REPLICAS,
    APPS.map((a) => a.name),
  );
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}

function run(cmd, args, what, childEnv = env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: childEnv });
  if (r.status !== 0) {
    say(`${what} failed (exit ${r.status}); stopping.`);
    process.exit(1);
  }
}

function installIfNeeded() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  // npm install, not npm ci: see docs/decisions/0001 (the lock file pins the versions either way).
  say('installing dependencies (npm install) ...');
  run('npm', ['install', '--no-audit', '--no-fund'], 'npm install');
}

/**
 * The console (apps/console) has its own dependencies and build: installed like the root's
 * (when its lock is newer than its node_modules), then built into apps/console/dist, which
 * the hub serves at /console.
 */
function buildConsole() {
  const dir = path.join(root, 'apps', 'console');
  const marker = path.join(dir, 'node_modules', '.package-lock.json');
  const lock = path.join(dir, 'package-lock.json');
  if (!fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs) {
    say("installing the console's dependencies (npm install --prefix apps/console) ...");
    run(
      'npm',
      ['install', '--prefix', 'apps/console', '--no-audit', '--no-fund'],
      'console install',
    );
  }
  say('building the console ...');
  run('npm', ['run', '--prefix', 'apps/console', 'build'], 'console build');
}

/** A secret from the environment, or one generated once into .local/ for development. */
function localSecret(name, fileName) {
  if (env[name]) return env[name];
  const file = path.join(localDir, fileName);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(localDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600 });
    say(`generated a local ${name} in ${path.relative(root, file)} (development only)`);
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * The key the hub signs its seals with (Ed25519, PEM): the one the environment names, or one
 * generated once into .local/ for development. The hub itself never makes one: it refuses
 * to start without a key.
 */
function sealSigningKey() {
  if (env.SEAL_SIGNING_KEY_FILE || env.SEAL_SIGNING_KEY) return {};
  const file = path.join(localDir, 'seal-signing.pem');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(localDir, { recursive: true });
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    say(`generated a local seal signing key in ${path.relative(root, file)} (development only)`);
  }
  return { SEAL_SIGNING_KEY_FILE: file };
}

/**
 * The administration principal of a closed broker: the one the environment gives, or the
 * local broker's (its password is generated into .local/kafka/credentials when the storage
 * is formatted). None: the broker is open, and the services connect without SASL.
 */
function kafkaAdmin() {
  if (env.KAFKA_SASL_USERNAME) {
    const { KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE } = env;
    return { KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE };
  }
  const file = path.join(credentialsDir, 'lgsp_admin.password');
  if (!fs.existsSync(file)) return undefined;
  return { KAFKA_SASL_USERNAME: 'lgsp_admin', KAFKA_SASL_PASSWORD_FILE: file };
}

/**
 * On a closed broker each app connects as its own system, with the password `hubctl kafka
 * users --apply` keeps in the credentials directory; the hub also holds the administrator's
 * credential, so that the broker's ACLs follow every catalogue change at once.
 */
function kafkaCredentials(app, admin) {
  const principal = `${env.KAFKA_TOPIC_PREFIX || ''}${app.system}`;
  const own = {
    KAFKA_SASL_USERNAME: principal,
    KAFKA_SASL_PASSWORD: undefined,
    KAFKA_SASL_PASSWORD_FILE: path.join(credentialsDir, `${principal}.password`),
  };
  if (app.name !== 'hub') return own;
  return {
    ...own,
    KAFKA_ACL_ADMIN_USERNAME: admin.KAFKA_SASL_USERNAME,
    KAFKA_ACL_ADMIN_PASSWORD: admin.KAFKA_SASL_PASSWORD,
    KAFKA_ACL_ADMIN_PASSWORD_FILE: admin.KAFKA_SASL_PASSWORD_FILE,
  };
}

/** What one app gets: per-service port and database from <APP>_PORT / <APP>_DATABASE_URL. */
function appEnv(app, secrets, admin) {
  const e = {
    ...env,
    ...secrets,
    KAFKA_BROKERS: env.KAFKA_BROKERS || `127.0.0.1:${env.LGSP_KAFKA_PORT || 9092}`,
  };
  if (app.name !== 'hub') {
    // Only the hub holds the administrator key and the seal signing key.
    for (const k of ['HUB_ADMIN_KEY', 'SEAL_SIGNING_KEY_FILE', 'SEAL_SIGNING_KEY']) delete e[k];
  }
  // Only insurance holds its administrator key (it may extend the reference-level table).
  if (app.name !== 'insurance') delete e.INSURANCE_ADMIN_KEY;
  for (const k of Object.keys(e)) if (k.startsWith('KAFKA_ACL_ADMIN_')) delete e[k];
  if (admin) Object.assign(e, kafkaCredentials(app, admin));
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  const p = prefixOf(app.name);
  e.PORT = env[`${p}_PORT`] || String(app.port);
  if (env[`${p}_DATABASE_URL`]) e.DATABASE_URL = env[`${p}_DATABASE_URL`];
  else delete e.DATABASE_URL;
  return e;
}

/** Waits until the replica is ready (GET /health/ready), exits, or the deadline passes. */
async function ready(url, child, deadline, stopped = () => false) {
  while (Date.now() < deadline && !stopped()) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      if ((await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok)
        return true;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function main() {
  installIfNeeded();
  say('building ...');
  run('npx', ['tsc', '-p', 'tsconfig.build.json'], 'build');
  buildConsole();

  let ownKafka = false;
  if (env.KAFKA_BROKERS) say(`using Kafka at ${env.KAFKA_BROKERS}`);
  else {
    ownKafka =
      spawnSync('bash', ['deploy/local/kafka/status.sh', '--quiet'], { cwd: root }).status !== 0;
    run('bash', ['deploy/local/kafka/start.sh'], 'starting Kafka');
  }
  if (APPS.every((a) => env[`${prefixOf(a.name)}_DATABASE_URL`])) say('using the given databases');
  else run('bash', ['deploy/local/postgres/ensure.sh'], 'PostgreSQL');

  const secrets = {
    SUBJECT_HASH_KEY: localSecret('SUBJECT_HASH_KEY', 'subject-hash.key'),
    HUB_ADMIN_KEY: localSecret('HUB_ADMIN_KEY', 'hub-admin.key'),
    INSURANCE_ADMIN_KEY: localSecret('INSURANCE_ADMIN_KEY', 'insurance-admin.key'),
    ...sealSigningKey(),
  };
  fs.mkdirSync(logDir, { recursive: true });
  // POPULATION_REGISTRY=http without a URL: the national population API's simulator stands
  // in for the national system (in memory; the example parents are entered into it below).
  let simulator;
  if (env.POPULATION_REGISTRY === 'http' && !env.POPULATION_REGISTRY_URL) {
    const port = env.POPULATION_SIMULATOR_PORT || '3099';
    const fd = fs.openSync(path.join(logDir, 'population-registry-simulator.log'), 'a');
    simulator = spawn('node', ['scripts/run-app.js', 'population-registry-simulator'], {
      cwd: root,
      env: { ...env, PORT: port },
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    env.POPULATION_REGISTRY_URL = `http://127.0.0.1:${port}`;
    say(`population registry: the simulator of the national API at ${env.POPULATION_REGISTRY_URL}`);
  } else if (env.POPULATION_REGISTRY === 'http') {
    say(`population registry: the national API at ${env.POPULATION_REGISTRY_URL}`);
  }
  for (const app of APPS) {
    run(
      'node',
      ['scripts/run-app.js', app.name, 'migrate'],
      `migrating ${app.name}`,
      appEnv(app, secrets),
    );
  }

  // A closed broker: every system's SCRAM credential and the catalogue's ACLs, before any
  // service connects (the hub keeps the ACLs in step afterwards).
  const admin = kafkaAdmin();
  if (admin) {
    const adminEnv = { ...env, ...admin };
    for (const k of Object.keys(adminEnv)) if (adminEnv[k] === undefined) delete adminEnv[k];
    run(
      'node',
      ['scripts/run-app.js', 'hubctl', 'kafka', 'users', '--apply'],
      'Kafka users',
      adminEnv,
    );
    run(
      'node',
      ['scripts/run-app.js', 'hubctl', 'kafka', 'acls', '--apply'],
      'Kafka ACLs',
      adminEnv,
    );
  } else {
    say('Kafka is open (no administration credential): the services connect without SASL');
  }

  const replicas = APPS.flatMap((app) => {
    const e = appEnv(app, secrets, admin);
    return Array.from({ length: replicaCounts[app.name] }, (_, i) => {
      const r = replicaOf(app, Number(e.PORT), i);
      return {
        ...r,
        env: { ...e, PORT: String(r.port) },
        log: path.join(logDir, r.logFile),
        url: `http://127.0.0.1:${r.port}`,
        tracker: restartTracker(),
        child: undefined,
        timer: undefined,
        givenUp: false,
      };
    });
  });
  const rel = (file) => path.relative(root, file);

  /**
   * A larger young generation (64 MB semi-spaces instead of 16): each service allocates a
   * batch's records, rows and messages and drops them soon after, and with the default the
   * garbage collector took 12–18 % of every service's CPU at the flow's maximum, 17–38 %
   * less with this (V8 CPU profiles of two otherwise equal runs). At the flow benchmark's peak
   * each service held 90–125 MB more for it (resident set).
   */
  const V8_FLAGS = ['--max-semi-space-size=64'];

  /** Starts (or starts again) one replica; the hub at its lower priority every time. */
  function spawnReplica(r, restart = 0) {
    const fd = fs.openSync(r.log, 'a');
    // LGSP_CPU_PROF_DIR: each service writes a V8 CPU profile there when it stops (profiling).
    const profName = restart ? `${r.name}.restart-${restart}` : r.name;
    const prof = env.LGSP_CPU_PROF_DIR
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${path.resolve(env.LGSP_CPU_PROF_DIR)}`,
          `--cpu-prof-name=${profName}.cpuprofile`,
        ]
      : [];
    const child = spawn('node', [...prof, ...V8_FLAGS, 'scripts/run-app.js', r.app.name], {
      cwd: root,
      env: r.env,
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    if (r.app.name === 'hub' && hubNice !== 0) {
      try {
        os.setPriority(child.pid, hubNice);
      } catch (e) {
        say(`could not give ${r.name} priority ${hubNice} (${e.message}); it runs at the others'`);
      }
    }
    r.child = child;
    child.once('exit', (code, signal) =>
      onExit(r, child, signal ? `signal ${signal}` : `code ${code}`),
    );
    return child;
  }

  let up = false;
  let stopping = false;
  const stopped = () => stopping;

  function onExit(r, child, how) {
    if (stopping || child !== r.child) return;
    if (!up) {
      say(`${r.name} exited during start-up (${how}); last lines of ${rel(r.log)}:`);
      process.stdout.write(`${tail(r.log)}\n`);
      void stop(1);
      return;
    }
    // Ctrl-C reaches the services as well as the stack, and a service may exit before the
    // stack has seen its own signal: decide a moment later, when `stopping` is known.
    setTimeout(() => {
      if (!stopping) decide(r, how);
    }, 250);
  }

  /** A replica exited on its own: start it again after a backoff, or give it up. */
  function decide(r, how) {
    const d = r.tracker.exited(Date.now());
    if (d.restart) {
      say(`${r.name} exited (${how}); restarting in ${d.delayMs / 1000} s (restart ${d.count})`);
      r.timer = setTimeout(() => void restart(r, d.count), d.delayMs);
      return;
    }
    r.givenUp = true;
    const minutes = RESTART_POLICY.windowMs / 60000;
    say(
      `${r.name} exited (${how}) after ${d.count} restarts within ${minutes} minutes; ` +
        `giving it up. Last lines of ${rel(r.log)}:`,
    );
    process.stdout.write(`${tail(r.log)}\n`);
    const others = replicas.filter((x) => x.app === r.app && !x.givenUp).length;
    say(
      others > 0
        ? `${others} other replica(s) of ${r.app.name} still run`
        : `${r.app.name} is down; the other services keep running and what they publish for it ` +
            'waits in Kafka. Fix it, then Ctrl-C and npm start again.',
    );
  }

  async function restart(r, count) {
    r.timer = undefined;
    if (stopping) return;
    const child = spawnReplica(r, count);
    if (await ready(r.url, child, Date.now() + 90000, stopped)) {
      r.tracker.healthy(Date.now());
      say(`${r.name} is ready again (restart ${count})`);
    } else if (!stopping && child.exitCode === null && child.signalCode === null) {
      say(`${r.name} is not ready 90 s after restart ${count}; see ${rel(r.log)}`);
    }
  }

  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping services ...');
    const running = (r) => r.child.exitCode === null && r.child.signalCode === null;
    for (const r of replicas) {
      clearTimeout(r.timer);
      if (running(r)) r.child.kill('SIGTERM');
    }
    const deadline = Date.now() + 15000;
    while (replicas.some(running) && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 100));
    }
    for (const r of replicas) if (running(r)) r.child.kill('SIGKILL');
    simulator?.kill('SIGTERM');
    if (ownKafka)
      spawnSync('bash', ['deploy/local/kafka/stop.sh'], { cwd: root, stdio: 'inherit' });
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const r of replicas) spawnReplica(r);
  const deadline = Date.now() + 90000;
  for (const r of replicas) {
    if (!(await ready(r.url, r.child, deadline, stopped))) {
      if (stopping) return;
      say(`${r.name} did not become ready; last lines of ${rel(r.log)}:`);
      process.stdout.write(`${tail(r.log)}\n`);
      return stop(1);
    }
  }
  up = true;
  for (const r of replicas) r.tracker.healthy(Date.now());

  const url = (name) => replicas.find((r) => r.name === name).url;
  // The README's example birth names two parents: put them in the register (409 once they are).
  const { citizens } = JSON.parse(
    fs.readFileSync(path.join(root, 'deploy/local/examples/parents.json'), 'utf8'),
  );
  if (simulator) {
    await fetch(`${env.POPULATION_REGISTRY_URL}/_simulator/citizens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(citizens),
    }).catch(() => undefined);
  } else {
    for (const c of citizens) {
      await fetch(`${url('population-adapter')}/citizens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(c),
      }).catch(() => undefined);
    }
  }
  process.stdout.write(`
LGSP Event Hub is up. Services (logs in ${path.relative(root, logDir)}/):
${replicas.map((r) => `  ${r.name.padEnd(20)} ${r.url}   ${r.url}/health/ready   ${r.url}/metrics`).join('\n')}

The console (operators, auditors, administrators): ${url('hub')}/console/
  sign in with a key: the administrator key below, or one it issues (Danh mục → Cấp khóa)

Register a birth, then follow it to the hub:
  curl -s -X POST ${url('civil-status')}/births -H 'content-type: application/json' \\
       -d @deploy/local/examples/birth.json
  ADMIN=$(cat .local/hub-admin.key)
  curl -s ${url('hub')}/transactions/<eventId from the answer> -H "x-api-key: $ADMIN"
  curl -s ${url('hub')}/services/birth-registration/success-rate -H "x-api-key: $ADMIN"

The hub's administrator key (to issue credentials) is in ${env.HUB_ADMIN_KEY ? 'HUB_ADMIN_KEY' : path.relative(root, path.join(localDir, 'hub-admin.key'))}; see the README.
The insurance administrator key (to add reference levels) is in ${env.INSURANCE_ADMIN_KEY ? 'INSURANCE_ADMIN_KEY' : path.relative(root, path.join(localDir, 'insurance-admin.key'))}.
A service that exits is restarted (backoff ${RESTART_POLICY.initialDelayMs / 1000} s to ${RESTART_POLICY.maxDelayMs / 1000} s); Ctrl-C stops everything.
`);
}

main().catch((e) => {
  say(`failed: ${e.stack || e}`);
  process.exit(1);
});
