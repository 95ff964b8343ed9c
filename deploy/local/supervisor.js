// The rules `npm start` supervises its services by, kept apart from the processes so that a
// unit spec can check them: when to restart a replica that exited and after how long, when
// to give it up, and how many replicas of each service to run and where.
// Plain CommonJS with no dependencies: stack.js runs before anything is installed.
'use strict';

/**
 * Restarts back off from 1 s, doubling up to 30 s; a replica that has been healthy for a
 * minute starts again from 1 s. A replica that would be restarted a sixth time within two
 * minutes is given up: it crashes faster than it could ever serve.
 */
const RESTART_POLICY = Object.freeze({
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  healthyResetMs: 60_000,
  maxRestarts: 5,
  windowMs: 120_000,
});

/**
 * The restart state of one replica. `exited(now)` answers what to do about an exit the
 * stack did not ask for: `{ restart: true, delayMs, count }` (count: restarts so far, this
 * one included) or `{ restart: false, count }` (given up after `count` restarts in the
 * window). `healthy(now)` records that the replica answers its health check.
 */
function restartTracker(policy = RESTART_POLICY) {
  let attempt = 0;
  let count = 0;
  let healthySince;
  let recent = [];
  return {
    healthy(now) {
      if (healthySince === undefined) healthySince = now;
    },
    exited(now) {
      if (healthySince !== undefined && now - healthySince >= policy.healthyResetMs) attempt = 0;
      healthySince = undefined;
      recent = recent.filter((t) => now - t < policy.windowMs);
      if (recent.length >= policy.maxRestarts) return { restart: false, count: recent.length };
      recent.push(now);
      attempt += 1;
      count += 1;
      return { restart: true, delayMs: restartDelay(attempt, policy), count };
    },
  };
}

/** The delay before the n-th restart in a row (n from 1). */
function restartDelay(n, policy = RESTART_POLICY) {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (n - 1));
}

/** Replica i of a service listens this far above the service's port. */
const REPLICA_PORT_STEP = 100;
const MAX_REPLICAS = 9;

/**
 * Replicas per service from `--replicas name=N` (repeatable; `--replicas=name=N` too) and
 * `LGSP_REPLICAS=name=N,name=N`; the command line wins over the environment. Throws an
 * Error naming what is wrong (an unknown service, a count outside 1..9).
 */
function parseReplicas(argv, envValue, names) {
  const pairs = [];
  const add = (spec, where) => {
    for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
      const m = /^\s*([a-z-]+)\s*=\s*(\d+)\s*$/.exec(part);
      if (!m) throw new Error(`${where}: "${part}" is not name=N`);
      pairs.push([m[1], Number(m[2]), where]);
    }
  };
  if (envValue) add(envValue, 'LGSP_REPLICAS');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--replicas') {
      if (argv[i + 1] === undefined) throw new Error('--replicas needs name=N');
      add(argv[++i], '--replicas');
    } else if (a.startsWith('--replicas=')) add(a.slice('--replicas='.length), '--replicas');
    else throw new Error(`unknown argument ${a} (npm start takes --replicas name=N)`);
  }
  const counts = Object.fromEntries(names.map((n) => [n, 1]));
  for (const [name, n, where] of pairs) {
    if (!names.includes(name))
      throw new Error(`${where}: no service named ${name} (there are ${names.join(', ')})`);
    if (!Number.isInteger(n) || n < 1 || n > MAX_REPLICAS)
      throw new Error(`${where}: ${name}=${n}: from 1 to ${MAX_REPLICAS} replicas`);
    counts[name] = n;
  }
  return counts;
}

/**
 * Replica i of a service: replica 0 keeps the service's own name, port and log file, so that
 * one replica runs exactly as before; replica i ≥ 1 is `<name>-<i>`, on port
 * `port + 100·i`, logging to `<name>-<i>.log`. Every replica has the service's database and
 * consumer group.
 */
function replicaOf(app, port, i) {
  const name = i === 0 ? app.name : `${app.name}-${i}`;
  return { app, index: i, name, port: port + REPLICA_PORT_STEP * i, logFile: `${name}.log` };
}

module.exports = {
  RESTART_POLICY,
  REPLICA_PORT_STEP,
  MAX_REPLICAS,
  restartTracker,
  restartDelay,
  parseReplicas,
  replicaOf,
};
