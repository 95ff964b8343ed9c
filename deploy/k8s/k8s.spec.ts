import { HubConfig } from '@apps/hub';
import { DEFAULT_TOPIC_SETTINGS, generateKubernetes, writeGenerated } from '@apps/hubctl';
import { type AccessCatalogue, catalogueAccess } from '@lgsp/messaging';
import { ServiceConfig } from '@lgsp/platform';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { build, namedFiles, readDocuments, type Resource } from './kustomize-lite';
import { healthRoutes, settingsRead, specOf, type Workload } from './manifests';

/**
 * deploy/k8s is applied to clusters this repository never sees: these are the fields its
 * resources depend on, read from the files (and, where a kubectl is installed, from what
 * `kubectl kustomize` builds of them).
 */
const dir = __dirname;
const root = join(dir, '../..');
const OVERLAYS = ['local', 'production'];
const APPS = ['hub', 'civil-status', 'land', 'insurance', 'population-adapter'];
const catalogue = JSON.parse(
  readFileSync(join(root, 'apps/hub/src/catalogue/demo-catalogue.json'), 'utf8'),
) as AccessCatalogue;

const SECRET_SETTINGS = [
  'SUBJECT_HASH_KEY',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_ACL_ADMIN_PASSWORD',
  'HUB_ADMIN_KEY',
  'SEAL_SIGNING_KEY',
  'DATABASE_URL',
];
/** Secrets the people running the cluster make once (docs/deploy.md); Strimzi and CloudNativePG make the others. */
const OPERATORS_SECRETS = ['lgsp-subject-hash-key', 'lgsp-hub-admin-key', 'lgsp-seal-signing-key'];

describe('the Kubernetes manifests (deploy/k8s)', () => {
  it.each(['base', 'base/generated', ...OVERLAYS.map((o) => `overlays/${o}`)])(
    '%s: every file its kustomization names exists and parses',
    (k) => {
      for (const file of namedFiles(join(dir, k))) {
        expect(existsSync(file)).toBe(true);
        expect(readDocuments(file).length).toBeGreaterThan(0);
      }
    },
  );

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    let resources: Resource[] = [];
    const all = (kind: string) => resources.filter((r) => r.kind === kind);
    const one = (kind: string, name?: string) => {
      const found = all(kind).filter((r) => name === undefined || r.metadata.name === name);
      if (found.length !== 1) throw new Error(`${found.length} ${kind} ${name ?? ''}, not one`);
      return found[0];
    };
    const containerOf = (w: Workload) => w.spec.template.spec.containers[0];
    const envOf = (w: Workload) => new Map((containerOf(w).env ?? []).map((e) => [e.name, e]));
    let deployments: Workload[];
    let jobs: Workload[];
    let settings: Record<string, string>;
    let kafka: Resource;
    let users: Set<string>;
    beforeAll(() => {
      resources = build(join(dir, 'overlays', overlay));
      deployments = all('Deployment') as Workload[];
      jobs = all('Job') as Workload[];
      settings = one('ConfigMap', 'lgsp-settings').data as Record<string, string>;
      kafka = one('Kafka');
      users = new Set(all('KafkaUser').map((u) => u.metadata.name));
    });

    it('names each resource once, all in one namespace', () => {
      const keys = resources.map((r) => `${r.kind}/${r.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      const namespaces = new Set(
        resources.filter((r) => r.kind !== 'Namespace').map((r) => r.metadata.namespace),
      );
      expect([...namespaces]).toEqual(['lgsp']);
    });

    it('runs every app as a Deployment with probes, resources, a disruption budget and a Service', () => {
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...APPS].sort());
      for (const d of deployments) {
        const c = containerOf(d);
        const labels = d.spec.template.metadata.labels;
        expect(c.args).toEqual([d.metadata.name]);
        const port = c.ports!.find((p) => p.name === 'http')!;
        // Probes of routes the services serve: liveness asks nothing of the database or broker.
        for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe])
          expect(healthRoutes()).toContain(probe?.httpGet?.path);
        expect(c.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(c.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(c.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
        expect(envOf(d).get('PORT')?.value).toBe(String(port.containerPort));
        expect(envOf(d).get('HOST')?.value).toBe('0.0.0.0');
        for (const part of ['requests', 'limits'] as const)
          expect(Object.keys(c.resources?.[part] ?? {}).sort()).toEqual(['cpu', 'memory']);
        const selects = (selector: Record<string, string>) =>
          Object.entries(selector).every(([k, v]) => labels[k] === v);
        const pdbs = all('PodDisruptionBudget').filter((p) =>
          selects((specOf(p).selector as { matchLabels: Record<string, string> }).matchLabels),
        );
        expect(pdbs).toHaveLength(1);
        const services = all('Service').filter((s) =>
          selects(specOf(s).selector as Record<string, string>),
        );
        expect(services).toHaveLength(1);
        expect(selects(d.spec.selector!.matchLabels)).toBe(true);
      }
    });

    it("runs each app's migrations as a Job of the same image and database", () => {
      expect(jobs.map((j) => containerOf(j).args).sort()).toEqual(
        APPS.map((a) => [a, 'migrate']).sort(),
      );
      for (const j of jobs) {
        const app = deployments.find((d) => d.metadata.name === containerOf(j).args[0])!;
        expect(containerOf(j).image).toBe(containerOf(app).image);
        expect(envOf(j).get('DATABASE_URL')).toEqual(envOf(app).get('DATABASE_URL'));
      }
    });

    it('uses the image the overlay names', () => {
      const images = new Set([...deployments, ...jobs].map((w) => containerOf(w).image));
      expect(images.size).toBe(1);
      expect([...images][0]).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
      expect([...images][0]).not.toMatch(/:latest$/);
    });

    it('gives the services only settings they read', () => {
      for (const w of [...deployments, ...jobs]) {
        const read = settingsRead(containerOf(w).args[0] === 'hub' ? HubConfig : ServiceConfig);
        const fromMaps = (containerOf(w).envFrom ?? []).flatMap((f) => {
          expect(f.configMapRef?.name).toBe('lgsp-settings');
          return Object.keys(settings);
        });
        const unknown = [...envOf(w).keys(), ...fromMaps].filter((name) => !read.has(name));
        expect({ [w.metadata.name]: unknown }).toEqual({ [w.metadata.name]: [] });
      }
    });

    it('inlines no secret: each is a Secret that Strimzi, CloudNativePG or the operators make', () => {
      expect(all('Secret')).toEqual([]);
      const clusters = all('Cluster').map((c) => c.metadata.name);
      const made = new Set([
        ...users,
        `${kafka.metadata.name}-cluster-ca-cert`,
        ...clusters.map((c) => `${c}-app`),
        ...OPERATORS_SECRETS,
      ]);
      for (const w of [...deployments, ...jobs]) {
        const env = envOf(w);
        for (const name of SECRET_SETTINGS) expect(env.get(name)?.value).toBeUndefined();
        const db = env.get('DATABASE_URL')!.valueFrom!.secretKeyRef!;
        expect(db.key).toBe('uri');
        expect(clusters.map((c) => `${c}-app`)).toContain(db.name);
        for (const v of w.spec.template.spec.volumes ?? [])
          if (v.secret) expect(made).toContain(v.secret.secretName);
        // A setting that names a file names one a mounted Secret holds.
        for (const [name, e] of env) {
          if (!name.endsWith('_FILE')) continue;
          const mount = containerOf(w).volumeMounts!.find((m) =>
            e.value!.startsWith(`${m.mountPath}/`),
          )!;
          const volume = w.spec.template.spec.volumes!.find((v) => v.name === mount.name)!;
          expect(volume.secret?.items?.map((i) => `${mount.mountPath}/${i.path}`)).toContain(
            e.value,
          );
        }
      }
      for (const name of Object.keys(settings)) expect(SECRET_SETTINGS).not.toContain(name);
    });

    it("connects every app as its own principal, with that user's Secret, over TLS", () => {
      const listener = (
        specOf(kafka).kafka as {
          listeners: {
            name: string;
            port: number;
            tls: boolean;
            authentication: { type: string };
          }[];
        }
      ).listeners;
      expect(listener).toHaveLength(1);
      expect(listener[0]).toMatchObject({ tls: true, authentication: { type: 'scram-sha-512' } });
      expect(settings.KAFKA_BROKERS).toBe(
        `${kafka.metadata.name}-kafka-bootstrap:${listener[0].port}`,
      );
      expect(settings.KAFKA_CREATE_TOPICS).toBe('false');
      const principals = deployments.map((d) => envOf(d).get('KAFKA_SASL_USERNAME')!.value!);
      expect(new Set(principals).size).toBe(deployments.length);
      for (const d of deployments) {
        const env = envOf(d);
        const principal = env.get('KAFKA_SASL_USERNAME')!.value!;
        expect(users).toContain(principal);
        expect(env.get('KAFKA_SSL')?.value).toBe('true');
        const passwords = d.spec.template.spec.volumes!.find(
          (v) => v.secret?.items?.[0]?.key === 'password',
        );
        expect(passwords?.secret?.secretName).toBe(principal);
        const ca = d.spec.template.spec.volumes!.find(
          (v) => v.secret?.secretName === `${kafka.metadata.name}-cluster-ca-cert`,
        );
        expect(ca?.secret?.items).toEqual([{ key: 'ca.crt', path: 'ca.crt' }]);
      }
    });

    it("runs Kafka in KRaft mode on a node pool, closed, with the broker's append time", () => {
      // Strimzi's v1 API: served from 0.49, the only one from 1.0.
      for (const r of resources.filter((x) => x.apiVersion.startsWith('kafka.strimzi.io/')))
        expect(r.apiVersion).toBe('kafka.strimzi.io/v1');
      expect((kafka.metadata as { annotations?: object }).annotations).toEqual({
        'strimzi.io/kraft': 'enabled',
        'strimzi.io/node-pools': 'enabled',
      });
      const spec = specOf(kafka).kafka as {
        authorization: { type: string; superUsers: string[] };
        config: Record<string, unknown>;
      };
      expect(spec.authorization.type).toBe('simple');
      for (const su of spec.authorization.superUsers) expect(users).toContain(su);
      expect(spec.config['log.message.timestamp.type']).toBe('LogAppendTime');
      expect(spec.config['auto.create.topics.enable']).toBe(false);
      const pool = one('KafkaNodePool');
      expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
      const nodes = specOf(pool).replicas as number;
      expect(specOf(pool).roles).toEqual(['controller', 'broker']);
      for (const key of ['default.replication.factor', 'offsets.topic.replication.factor'])
        expect(spec.config[key]).toBeLessThanOrEqual(nodes);
      for (const t of all('KafkaTopic')) {
        const s = specOf(t) as { replicas: number; config: Record<string, unknown> };
        expect(t.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
        expect(s.replicas).toBeLessThanOrEqual(nodes);
        expect(s.config['min.insync.replicas']).toBeLessThanOrEqual(s.replicas);
        expect(s.config['message.timestamp.type']).toBe('LogAppendTime');
      }
    });

    it('gives every app a CloudNativePG cluster of its own', () => {
      const clusters = all('Cluster');
      expect(clusters).toHaveLength(APPS.length);
      for (const c of clusters) {
        expect(c.apiVersion).toBe('postgresql.cnpg.io/v1');
        const { initdb } = specOf(c).bootstrap as { initdb: { database: string; owner: string } };
        expect(initdb.database).toMatch(/^lgsp_[a-z_]+$/);
        expect(initdb.owner).toBe(initdb.database);
      }
    });
  });

  describe('the generated topics and users (base/generated)', () => {
    const generated = join(dir, 'base/generated');
    const options = { ...DEFAULT_TOPIC_SETTINGS, cluster: 'lgsp', topicPrefix: '' };

    it('are what `hubctl k8s generate` writes from the demo catalogue', () => {
      // LGSP_UPDATE_K8S=1 writes them instead (what the command does, without a build).
      const target = process.env.LGSP_UPDATE_K8S ? generated : mkdtempSync(join(tmpdir(), 'k8s-'));
      try {
        writeGenerated(target, generateKubernetes(catalogue, options));
        expect(readdirSync(generated).sort()).toEqual(readdirSync(target).sort());
        for (const file of readdirSync(target))
          expect([file, readFileSync(join(generated, file), 'utf8')]).toEqual([
            file,
            readFileSync(join(target, file), 'utf8'),
          ]);
      } finally {
        if (target !== generated) rmSync(target, { recursive: true, force: true });
      }
    });

    const users = () => readDocuments(join(generated, 'kafka-users.yaml'));
    const topics = () => readDocuments(join(generated, 'kafka-topics.yaml'));

    it('grant each KafkaUser exactly the ACLs `hubctl kafka acls` derives from the catalogue', () => {
      const access = catalogueAccess(catalogue);
      const generatedUsers = users();
      expect(generatedUsers.map((u) => u.metadata.name).sort()).toEqual(
        access.map((a) => a.principal).sort(),
      );
      for (const a of access) {
        const user = generatedUsers.find((u) => u.metadata.name === a.principal)!;
        const spec = specOf(user) as {
          authentication: { type: string };
          authorization: { type: string; acls: { host: string }[] };
        };
        expect(spec.authentication.type).toBe('scram-sha-512');
        expect(spec.authorization.type).toBe('simple');
        expect(new Set(spec.authorization.acls.map((r) => r.host))).toEqual(new Set(['*']));
        expect(spec.authorization.acls.map(({ host: _host, ...rule }) => rule)).toEqual(a.acls);
      }
    });

    it("have a KafkaTopic for every topic an ACL names, with the services' partitions", () => {
      const generatedTopics = topics();
      const names = generatedTopics.map((t) => (specOf(t) as { topicName: string }).topicName);
      const named = catalogueAccess(catalogue).flatMap((a) =>
        a.acls.filter((r) => r.resource.type === 'topic').map((r) => r.resource.name),
      );
      for (const topic of named) expect(names).toContain(topic);
      for (const t of generatedTopics)
        expect(specOf(t).partitions).toBe(new ServiceConfig().KAFKA_TOPIC_PARTITIONS);
    });
  });

  // Where a kubectl is installed whose Kustomize reads `patches` and `labels` (v4.1 or later),
  // what it builds is what the checks above read. Debian's kubectl (1.20, Kustomize v2) does not.
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const hasKustomize =
    kubectl.status === 0 &&
    /Kustomize Version: v(4\.([1-9]|\d\d)|[5-9]|\d\d)/.test(kubectl.stdout ?? '');
  (hasKustomize ? it.each(OVERLAYS) : it.skip.each(OVERLAYS))(
    'kubectl kustomize builds overlay %s as read here',
    (overlay) => {
      const out = execFileSync('kubectl', ['kustomize', join(dir, 'overlays', overlay)], {
        encoding: 'utf8',
      });
      // Kustomize names a generated ConfigMap with a hash of its content.
      const unhashed = out.replace(/lgsp-settings-[a-z0-9]{10}\b/g, 'lgsp-settings');
      const built = parseAllDocuments(unhashed).map((d) => d.toJS() as Resource);
      const key = (r: Resource) => `${r.kind}/${r.metadata.name}`;
      const sorted = (rs: Resource[]) => [...rs].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sorted(built)).toEqual(sorted(build(join(dir, 'overlays', overlay))));
    },
  );
});
