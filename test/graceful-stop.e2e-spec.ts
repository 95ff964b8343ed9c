import { hubService } from '@apps/hub';
import { populationService } from '@apps/population-adapter';
import { VALID_EXAMPLES } from '@lgsp/contracts';
import { migrateService, type ServiceDefinition } from '@lgsp/platform';
import {
  eventually,
  freePort,
  grantKafkaAccess,
  http,
  kafkaTestEnv,
  localBrokerAdmin,
  REPO_ROOT,
  ServiceProcess,
  serviceTestEnv,
  systemOfApp,
  TEST_ADMIN_KEY,
  testRun,
} from '@lgsp/testing';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * On SIGTERM a service exits within ten seconds whether or not Kafka answers, and having
 * closed every step in its own time (exit code 0; the shutdown deadline exits with 1).
 * The spec runs a broker of its own (the local scripts, in a directory of its own and on
 * free ports; the shared broker is never touched), starts the hub and population-adapter
 * against it as processes, leaves the hub's outbox relay sending to it, stops the broker,
 * and then sends each service SIGTERM.
 */
const SUFFIX = '_stop';
const services = [hubService, populationService] as ServiceDefinition[];
const KAFKA_SCRIPTS = join(REPO_ROOT, 'deploy/local/kafka');

describe('graceful stop with the broker gone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-graceful-stop-'));
  const jars = join(dir, 'kafka/libs');
  const procs = new Map<string, ServiceProcess>();
  let brokerEnv: NodeJS.ProcessEnv;
  const broker = (script: 'start.sh' | 'stop.sh', ...args: string[]) =>
    execFileSync('bash', [join(KAFKA_SCRIPTS, script), ...args], {
      env: brokerEnv,
      stdio: 'inherit',
    });

  beforeAll(async () => {
    for (const def of services) {
      if (!existsSync(join(REPO_ROOT, 'dist/apps', def.name, 'src/main.js'))) {
        throw new Error(
          'This spec runs the built services: run `npm run build` first (npm test does).',
        );
      }
    }
    const [port, controllerPort] = [await freePort(), await freePort()];
    brokerEnv = {
      ...process.env,
      LGSP_LOCAL_DIR: dir,
      LGSP_KAFKA_PORT: String(port),
      LGSP_KAFKA_CONTROLLER_PORT: String(controllerPort),
    };
    // The jars the shared broker already has, when it has them; otherwise start.sh fetches them.
    const cached = join(REPO_ROOT, '.local/kafka/libs');
    if (existsSync(join(cached, '.fetch-complete'))) {
      mkdirSync(join(dir, 'kafka'), { recursive: true });
      symlinkSync(cached, jars);
    }
    broker('start.sh');
    // That broker is closed too: its own administrator grants the services their principals.
    const target = { brokers: `127.0.0.1:${port}`, admin: localBrokerAdmin(dir) };
    const prefix = `${testRun().runId}${SUFFIX}.`;
    const logDir = join(REPO_ROOT, '.local/test-logs', `${testRun().runId}${SUFFIX}`);
    for (const def of services) {
      const env = serviceTestEnv(
        def.name,
        {
          KAFKA_BROKERS: target.brokers,
          LOG_LEVEL: 'info',
          ...kafkaTestEnv(systemOfApp(def.name), prefix, target.admin),
        },
        SUFFIX,
      );
      await grantKafkaAccess(prefix, env, target);
      await migrateService(def, env);
      procs.set(def.name, new ServiceProcess(def.name, env, await freePort(), logDir));
    }
    for (const p of procs.values()) await p.start();
  });

  afterAll(async () => {
    for (const p of procs.values()) await p.kill();
    broker('stop.sh', '--clean');
    if (existsSync(jars)) unlinkSync(jars);
    rmSync(dir, { recursive: true, force: true });
  });

  it('every service exits within 10 s of SIGTERM once the broker has gone', async () => {
    const hub = procs.get('hub')!;
    // Something for the outbox relay to send when the broker is gone: a published event.
    const admin = { 'x-api-key': TEST_ADMIN_KEY };
    const issued = await http<{ apiKey: string }>(
      'POST',
      `${hub.url}/credentials`,
      { role: 'SYSTEM', system: 'land' },
      admin,
    );
    broker('stop.sh');
    for (const p of procs.values()) {
      await eventually(
        async () => ((await fetch(`${p.url}/health`)).status === 503 ? true : undefined),
        { timeoutMs: 30_000, what: `${p.app} to see that Kafka is down` },
      );
    }
    const published = await http(
      'POST',
      `${hub.url}/events/land.ownership-registered.v1`,
      VALID_EXAMPLES['land.ownership-registered.v1'],
      { 'x-api-key': issued.body.apiKey },
    );
    expect(published.status).toBe(202);

    const took = await Promise.all([...procs.values()].map((p) => p.stop()));
    const outcome = [...procs.values()].map((p, i) => [p.app, p.exited?.code, took[i] < 10_000]);
    expect(outcome).toEqual([
      ['hub', 0, true],
      ['population-adapter', 0, true],
    ]);
  });
});
