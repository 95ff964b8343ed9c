import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * The compose stack runs the closed broker of decision 0011 with TLS: these are the fields of
 * docker-compose.yml (and of the broker configuration and scripts it mounts) that the closure
 * depends on. Compose itself needs a Docker engine; this reads what it would run.
 */
interface Service {
  image?: string;
  build?: string | { target?: string };
  restart?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const dir = __dirname;
const text = (file: string) => readFileSync(join(dir, file), 'utf8');
const compose = parse(text('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const service = (name: string) => {
  const s = services[name];
  if (!s) throw new Error(`no service ${name} in docker-compose.yml`);
  return s;
};
const env = (name: string) => service(name).environment ?? {};

/** `source:target[:ro]` of each mount; `named` when the source is a compose volume. */
const mounts = (name: string) =>
  (service(name).volumes ?? []).map((v) => {
    const [source, target, mode] = v.split(':');
    return { source, target, readOnly: mode === 'ro', named: source in compose.volumes };
  });
/** The named volume mounted where `path` lies in the service, if any. */
const volumeHolding = (name: string, path: string) =>
  mounts(name).find((m) => m.named && path.startsWith(`${m.target}/`));

/** The long-running services built from the Dockerfile: the apps. */
const apps = Object.keys(services).filter(
  (n) => services[n].build && services[n].restart === 'unless-stopped',
);

/** The broker's configuration: server.properties in the folder mounted at /opt/lgsp/kafka. */
function brokerProperties(): Map<string, string> {
  const folder = mounts('kafka').find((m) => m.target === '/opt/lgsp/kafka');
  if (!folder) throw new Error('the kafka service mounts no /opt/lgsp/kafka');
  const lines = readFileSync(resolve(dir, folder.source, 'server.properties'), 'utf8').split('\n');
  const entries = lines
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()] as const);
  return new Map(entries);
}

describe('the compose stack', () => {
  it('runs every app, each as the principal of its system in the catalogue', () => {
    expect([...apps].sort()).toEqual([
      'civil-status',
      'hub',
      'insurance',
      'land',
      'population-adapter',
    ]);
    const catalogue = JSON.parse(
      readFileSync(join(dir, '../../apps/hub/src/catalogue/demo-catalogue.json'), 'utf8'),
    ) as { systems: { code: string }[] };
    expect(apps.map((a) => env(a).KAFKA_SASL_USERNAME).sort()).toEqual(
      catalogue.systems.map((s) => s.code).sort(),
    );
  });

  describe('the broker', () => {
    const props = brokerProperties();
    const protocolOf = new Map(
      props
        .get('listener.security.protocol.map')!
        .split(',')
        .map((p) => p.split(':') as [string, string]),
    );
    const listeners = (key: string) =>
      props
        .get(key)!
        .split(',')
        .map((l) => ({ name: l.slice(0, l.indexOf(':')), host: l.split('//')[1].split(':')[0] }));

    it('is Apache Kafka 4.1.0 started by the script that formats it with the first credentials', () => {
      expect(service('kafka').image).toBe('apache/kafka:4.1.0');
      expect(service('kafka').entrypoint).toEqual(['bash', '/opt/lgsp/kafka/start.sh']);
      const start = text('kafka/start.sh');
      expect(start).toMatch(/kafka-storage\.sh" format --standalone/);
      expect(start).toContain('--add-scram "SCRAM-SHA-512=[name=$BROKER,');
      expect(start).toContain('--add-scram "SCRAM-SHA-512=[name=$ADMIN,');
      expect(start).toMatch(/^BROKER=lgsp_broker$/m);
      expect(start).toMatch(/^ADMIN=lgsp_admin$/m);
    });

    it('offers clients SASL_SSL with SCRAM-SHA-512 only, never PLAINTEXT', () => {
      for (const l of listeners('advertised.listeners')) {
        expect(protocolOf.get(l.name)).toBe('SASL_SSL');
        expect(props.get(`listener.name.${l.name.toLowerCase()}.sasl.enabled.mechanisms`)).toBe(
          'SCRAM-SHA-512',
        );
      }
      for (const l of listeners('listeners')) {
        expect(protocolOf.get(l.name)).toMatch(/^SASL_/);
        // Only the broker's own link to its controller is without TLS, and only on loopback.
        if (protocolOf.get(l.name) !== 'SASL_SSL') expect(l.host).toBe('127.0.0.1');
      }
      expect([...protocolOf.values()]).not.toContain('PLAINTEXT');
      expect([...protocolOf.values()]).not.toContain('SSL');
    });

    it('allows nothing without an ACL, and only the broker and the administrator are super users', () => {
      expect(props.get('authorizer.class.name')).toBe(
        'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      );
      expect(props.get('allow.everyone.if.no.acl.found')).toBe('false');
      expect(props.get('super.users')).toBe('User:lgsp_broker;User:lgsp_admin');
    });

    it('stamps records with its own time', () => {
      expect(props.get('log.message.timestamp.type')).toBe('LogAppendTime');
    });

    it('reads its keystore and trusted authority from volumes, and holds no password in the file', () => {
      for (const key of ['ssl.keystore.location', 'ssl.truststore.location']) {
        expect(volumeHolding('kafka', props.get(key)!)).toBeDefined();
      }
      expect([...props.keys()].filter((k) => /password|jaas/.test(k))).toEqual([]);
    });
  });

  describe('the services', () => {
    it.each(apps)('%s connects with its own password file, over TLS', (app) => {
      const e = env(app);
      expect(e.KAFKA_BROKERS).toBe('kafka:9092');
      expect(e.KAFKA_SSL).toBe('true');
      expect(volumeHolding(app, e.KAFKA_SSL_CA_FILE)?.source).toBe('kafka-ca');
      expect(e.KAFKA_SASL_USERNAME).toMatch(/^[a-z-]+$/);
      expect(e.KAFKA_SASL_PASSWORD).toBeUndefined();
      const own = volumeHolding(app, e.KAFKA_SASL_PASSWORD_FILE);
      expect(own?.readOnly).toBe(true);
      // No other app sees its volume.
      for (const other of apps.filter((a) => a !== app)) {
        expect(mounts(other).map((m) => m.source)).not.toContain(own?.source);
      }
    });

    it('each finds its password where the secrets service puts its principal', () => {
      const table = [
        ...text('secrets.js').matchAll(/\{ volume: '([^']+)', principal: '([^']+)' \}/g),
      ];
      const principalIn = new Map(table.map(([, volume, principal]) => [volume, principal]));
      for (const app of apps) {
        const own = volumeHolding(app, env(app).KAFKA_SASL_PASSWORD_FILE)!;
        const atInit = mounts('secrets').find((m) => m.source === own.source);
        expect(atInit?.target).toMatch(/^\/run\/lgsp\//);
        const volume = posix.basename(atInit!.target);
        expect(principalIn.get(volume)).toBe(env(app).KAFKA_SASL_USERNAME);
        expect(posix.basename(env(app).KAFKA_SASL_PASSWORD_FILE)).toBe('kafka.password');
      }
    });

    it('only the hub holds the administrator key, the seal key and the Kafka administrator', () => {
      const hubOnly = [
        'HUB_ADMIN_KEY_FILE',
        'SEAL_SIGNING_KEY_FILE',
        'KAFKA_ACL_ADMIN_USERNAME',
        'KAFKA_ACL_ADMIN_PASSWORD_FILE',
      ];
      for (const k of hubOnly.filter((x) => x.endsWith('_FILE'))) {
        expect(volumeHolding('hub', env('hub')[k])?.source).toBe('hub-secrets');
      }
      expect(env('hub').KAFKA_ACL_ADMIN_USERNAME).toBe('lgsp_admin');
      for (const app of apps.filter((a) => a !== 'hub')) {
        expect(Object.keys(env(app)).filter((k) => hubOnly.includes(k))).toEqual([]);
      }
    });
  });

  describe('before any service starts', () => {
    it('the administrator applies the SCRAM users, then the ACLs, after the migrations', () => {
      const access = service('kafka-access');
      expect(access.depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        kafka: { condition: 'service_healthy' },
      });
      const script = access.command!.join(' ');
      const users = script.indexOf('hubctl kafka users --apply');
      const acls = script.indexOf('hubctl kafka acls --apply');
      expect(users).toBeGreaterThanOrEqual(0);
      expect(acls).toBeGreaterThan(users);
      expect(script).toMatch(/--apply &&/);
      const e = env('kafka-access');
      expect(e.KAFKA_SASL_USERNAME).toBe('lgsp_admin');
      expect(volumeHolding('kafka-access', e.KAFKA_SASL_PASSWORD_FILE)?.source).toBe(
        'kafka-credentials',
      );
      expect(e.KAFKA_CREDENTIALS_DIR).toBe(
        mounts('kafka-access').find((m) => m.source === 'kafka-credentials')?.target,
      );
      expect(e.KAFKA_SSL).toBe('true');
    });

    it.each(apps)('%s waits for the ACLs, the migrations and a healthy broker', (app) => {
      expect(service(app).depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        'kafka-access': { condition: 'service_completed_successfully' },
        kafka: { condition: 'service_healthy' },
      });
    });

    it('the secrets exist before the broker and the migrations need them', () => {
      const done = { condition: 'service_completed_successfully' };
      expect(service('kafka-init').depends_on).toEqual({ secrets: done });
      expect(service('kafka').depends_on).toEqual({ 'kafka-init': done });
      expect(service('migrate').depends_on?.secrets).toEqual(done);
    });
  });

  describe('secrets', () => {
    it('are never written in the file: a setting names a file in a volume, or the host environment', () => {
      for (const [name, s] of Object.entries(services)) {
        for (const [key, value] of Object.entries(s.environment ?? {})) {
          if (key.endsWith('_FILE')) {
            expect(`${name} ${key} ${volumeHolding(name, value)?.named}`).toBe(
              `${name} ${key} true`,
            );
          } else if (/(PASSWORD|KEY|SECRET|TOKEN)$/.test(key)) {
            expect(`${name} ${key}=${value}`).toMatch(new RegExp(`=\\$\\{${key}:\\?`));
          }
        }
      }
      const raw = text('docker-compose.yml');
      expect(raw).not.toMatch(/\b[0-9a-f]{24,}\b/i);
      expect(raw).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
      expect(raw).not.toMatch(/password\s*=/i);
    });

    it('every file the compose stack mounts from the checkout is there', () => {
      for (const name of Object.keys(services)) {
        for (const m of mounts(name).filter((x) => !x.named)) {
          expect(existsSync(resolve(dir, m.source))).toBe(true);
        }
      }
    });
  });
});
