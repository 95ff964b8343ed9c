import {
  type AccessCatalogue,
  aclBindings,
  applyAcls,
  catalogueAccess,
  type KafkaAuth,
  kafkajsAuth,
  managedPrincipals,
  ScramUsers,
  waitUntilUsersLogIn,
} from '@lgsp/messaging';
import type { Env } from '@lgsp/platform';
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './infrastructure';
import { type KafkaAdminAuth, testKafkaAdmin, testSystemCredential } from './kafka-credentials';
import { testRun } from './run-environment';

/** A kafkajs client of this run's broker as `auth`: by default the administrator, who may do anything. */
export function testKafka(auth: KafkaAuth | undefined = testKafkaAdmin()): Kafka {
  return new Kafka({
    brokers: testRun().brokers.split(','),
    logLevel: logLevel.NOTHING,
    ...kafkajsAuth(auth),
  });
}

/** The catalogue the hub of a spec seeds from: its CATALOGUE_FILE, or the demo catalogue. */
function catalogueOf(env: Env = {}): AccessCatalogue {
  const file = env.CATALOGUE_FILE ?? join(REPO_ROOT, 'apps/hub/src/catalogue/demo-catalogue.json');
  return JSON.parse(readFileSync(file, 'utf8')) as AccessCatalogue;
}

const granted = new Map<string, Promise<void>>();

/** A closed broker and its administrator: the run's, or one a spec runs itself. */
export interface KafkaTarget {
  brokers: string;
  admin?: KafkaAdminAuth;
}

const runBroker = (): KafkaTarget => ({ brokers: testRun().brokers, admin: testKafkaAdmin() });

/**
 * Gives the systems under a topic prefix what the catalogue grants them on a closed broker:
 * a SCRAM credential each (the one kafkaTestEnv hands the services) and the catalogue's
 * ACLs. Once per prefix, broker and process; nothing on an open broker. The run's teardown
 * removes the ACLs.
 */
export function grantKafkaAccess(
  prefix: string,
  env: Env = {},
  target: KafkaTarget = runBroker(),
): Promise<void> {
  const key = `${target.brokers} ${prefix}`;
  let done = granted.get(key);
  if (!done) {
    done = grant(prefix, catalogueOf(env), target);
    granted.set(key, done);
    void done.catch(() => granted.delete(key));
  }
  return done;
}

async function grant(
  prefix: string,
  catalogue: AccessCatalogue,
  target: KafkaTarget,
): Promise<void> {
  const { brokers, admin } = target;
  if (!admin) return;
  const codes = new Set([...catalogue.systems.map((s) => s.code), 'hub']);
  const users = [...codes].map((code) => {
    const c = testSystemCredential(code, prefix, admin)!;
    return { name: c.username, password: c.password };
  });
  const scram = await ScramUsers.connect(brokers, admin);
  try {
    await scram.upsert(users);
  } finally {
    scram.close();
  }
  const client = new Kafka({
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    ...kafkajsAuth(admin),
  }).admin();
  await client.connect();
  try {
    await applyAcls(
      client,
      aclBindings(catalogueAccess(catalogue, { topicPrefix: prefix })),
      managedPrincipals(catalogue, { topicPrefix: prefix }),
    );
  } finally {
    await client.disconnect();
  }
  await waitUntilUsersLogIn(brokers, users, admin.ssl);
}
