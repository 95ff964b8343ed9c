import { DEFAULT_CATALOGUE, readAccessCatalogue } from '@apps/hub';
import {
  type AccessCatalogue,
  aclBindings,
  applyAcls,
  catalogueAccess,
  createKafka,
  describeAuth,
  formatAcl,
  managedPrincipals,
  principalOf,
  ScramUsers,
  strimziKafkaUsers,
  waitUntilUsersLogIn,
} from '@lgsp/messaging';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { hubctlKafkaAuth, localCredentialsDir } from './kafka-admin';
import { countRefusals } from './kafka-refusals';

export interface KafkaArgs {
  print?: boolean;
  apply?: boolean;
  format?: string;
  catalogue?: string;
  cluster?: string;
  log?: string;
  'credentials-dir'?: string;
}

interface Context {
  root: string;
  env: NodeJS.ProcessEnv;
  out(s: string): void;
  say(s: string): void;
}

/** `hubctl kafka acls | users | refusals`: the closed broker's access, from the catalogue. */
export async function kafkaCommand(sub: string | undefined, v: KafkaArgs, c: Context) {
  switch (sub) {
    case 'acls':
      return acls(v, c);
    case 'users':
      return users(v, c);
    case 'refusals':
      return refusals(v, c);
    default:
      throw new Error(`unknown command kafka ${sub ?? ''} (acls, users or refusals)`);
  }
}

/**
 * The catalogue that decides access: a file given with --catalogue, or the hub's database
 * (HUB_DATABASE_URL) once the hub has seeded it, or else the file the hub will seed it from
 * (CATALOGUE_FILE, or the demo catalogue).
 */
export async function loadCatalogue(
  v: Pick<KafkaArgs, 'catalogue'>,
  c: Pick<Context, 'env' | 'say'>,
): Promise<AccessCatalogue> {
  const file = (path: string): AccessCatalogue =>
    JSON.parse(readFileSync(path, 'utf8')) as AccessCatalogue;
  if (v.catalogue) return file(v.catalogue);
  const url = c.env.HUB_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lgsp_hub';
  const db = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await db.connect();
    const query = async <T>(sql: string) => (await db.query(sql)).rows as T[];
    const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM catalogue_versions');
    if (n > 0) {
      c.say(`catalogue: the hub's database (${new URL(url).pathname.slice(1)})`);
      return await readAccessCatalogue(query);
    }
  } catch (e) {
    c.say(`catalogue: the hub's database cannot be read (${(e as Error).message})`);
  } finally {
    await db.end().catch(() => undefined);
  }
  c.say(`catalogue: ${c.env.CATALOGUE_FILE ?? 'the demo catalogue'}, as the hub seeds it`);
  return c.env.CATALOGUE_FILE ? file(c.env.CATALOGUE_FILE) : DEFAULT_CATALOGUE;
}

async function acls(v: KafkaArgs, c: Context): Promise<void> {
  const topicPrefix = c.env.KAFKA_TOPIC_PREFIX ?? '';
  const catalogue = await loadCatalogue(v, c);
  const access = catalogueAccess(catalogue, { topicPrefix });
  if (!v.apply || v.print) {
    if (v.format === 'strimzi') {
      c.out(JSON.stringify(strimziKafkaUsers(access, { cluster: v.cluster ?? 'lgsp' }), null, 2));
    } else if (v.format === 'json') c.out(JSON.stringify(access, null, 2));
    else c.out(aclBindings(access).map(formatAcl).join('\n'));
  }
  if (!v.apply) return;
  const brokers = c.env.KAFKA_BROKERS ?? `127.0.0.1:${c.env.LGSP_KAFKA_PORT ?? 9092}`;
  const auth = hubctlKafkaAuth(c.root, c.env);
  c.say(`applying to ${brokers} (${describeAuth(auth)})`);
  const admin = createKafka(
    brokers,
    'hubctl-acls',
    pino({ level: 'warn' }, pino.destination(2)),
    auth,
  ).admin();
  await admin.connect();
  try {
    const changes = await applyAcls(
      admin,
      aclBindings(access),
      managedPrincipals(catalogue, { topicPrefix }),
    );
    c.out(JSON.stringify({ principals: access.map((u) => u.principal), ...changes }, null, 2));
  } finally {
    await admin.disconnect();
  }
}

/**
 * A SCRAM credential for the hub and each system of the catalogue (a disabled one too: it
 * may still log in, its ACLs are what it loses); a password is generated into the
 * credentials directory the first time, and set again on the broker each run (a broker
 * whose data was wiped gets them back).
 */
async function users(v: KafkaArgs, c: Context): Promise<void> {
  if (!v.apply) throw new Error('kafka users needs --apply');
  const topicPrefix = c.env.KAFKA_TOPIC_PREFIX ?? '';
  const dir = v['credentials-dir'] ?? localCredentialsDir(c.root, c.env);
  const catalogue = await loadCatalogue(v, c);
  const codes = new Set(catalogue.systems.map((s) => s.code));
  codes.add('hub');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const users = [...codes].sort().map((code) => {
    const name = principalOf(code, topicPrefix);
    const file = join(dir, `${name}.password`);
    if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
    return { name, password: readFileSync(file, 'utf8').trim(), file };
  });
  const brokers = c.env.KAFKA_BROKERS ?? `127.0.0.1:${c.env.LGSP_KAFKA_PORT ?? 9092}`;
  const auth = hubctlKafkaAuth(c.root, c.env);
  const scram = await ScramUsers.connect(brokers, auth);
  try {
    await scram.upsert(users);
  } finally {
    scram.close();
  }
  await waitUntilUsersLogIn(brokers, users, auth.ssl);
  c.out(
    JSON.stringify(
      users.map(({ name, file }) => ({ principal: name, passwordFile: file })),
      null,
      2,
    ),
  );
}

function refusals(v: KafkaArgs, c: Context): void {
  const log =
    v.log ??
    join(c.env.LGSP_LOCAL_DIR ?? join(c.root, '.local'), 'kafka/data/logs/kafka-authorizer.log');
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
  if (lines.length === 0) c.say(`no authorizer log at ${log} (or it is empty)`);
  const counted = countRefusals(lines);
  c.out(
    JSON.stringify(
      { log, refusals: counted.reduce((n, r) => n + r.count, 0), byKind: counted },
      null,
      2,
    ),
  );
}
