import {
  EVENT_TYPES,
  type EventTypeDef,
  findEventType,
  RECEIPT,
  REPLAY_REQUESTED,
  topicOf,
} from '@lgsp/contracts';
import { consumerGroupOf, deadLetterTopicOf, principalOf } from './kafka-names';

/** What of the hub's catalogue decides access on the broker (the catalogue file and rows fit it). */
export interface AccessCatalogue {
  systems: { code: string; status: string }[];
  services: { code: string; eventType: string; provider: string }[];
  subscriptions: { consumer: string; service: string; status: string }[];
}

/** Operations and resources as Kafka's simple authorizer names them (Strimzi's spelling). */
export type AclOperation = 'Create' | 'Describe' | 'Read' | 'Write';
export interface AclRule {
  resource: { type: 'topic' | 'group'; name: string; patternType: 'literal' | 'prefix' };
  operations: AclOperation[];
}

/** One principal and everything it is allowed; anything not listed is refused. */
export interface KafkaUserAccess {
  system: string;
  principal: string;
  acls: AclRule[];
}

const HUB = 'hub';
const ACTIVE = 'ACTIVE';
const WRITE: AclOperation[] = ['Write', 'Describe', 'Create'];
const READ: AclOperation[] = ['Read', 'Describe', 'Create'];

/**
 * The ACLs the catalogue implies, one entry per principal, for the topics and groups under
 * `topicPrefix`. Only active systems get any:
 * - a provider writes the topics of the services it provides;
 * - a subscriber reads the topics of the services it has a subscription to (active or
 *   paused: the hub routes only active ones), the hub's replay requests, and its own
 *   dead-letter topic and consumer group, and writes receipts and its dead letters;
 * - the hub reads every topic of the contracts, writes its own (rejections, replay
 *   requests, receipts) and, for its HTTP door, the topics of active providers' services;
 *   it describes the consumer group of every active subscriber (its console shows their
 *   lag: the group's committed offsets against the topics' ends), and may not join them.
 * Create comes with every topic a principal touches: whichever service starts first makes it.
 * A disabled system gets nothing, so applying the result takes away all it had.
 */
export function catalogueAccess(
  catalogue: AccessCatalogue,
  opts: { topicPrefix?: string } = {},
): KafkaUserAccess[] {
  const prefix = opts.topicPrefix ?? '';
  const active = new Set(catalogue.systems.filter((s) => s.status === ACTIVE).map((s) => s.code));
  active.add(HUB);
  const typeOf = new Map(
    catalogue.services.flatMap((s) => {
      const def = findEventType(s.eventType);
      return def ? [[s.code, { def, provider: s.provider }] as const] : [];
    }),
  );
  const topic = (def: EventTypeDef) => topicOf(def, prefix);
  const subscribers = new Set(
    catalogue.subscriptions
      .filter((s) => active.has(s.consumer) && s.consumer !== HUB && typeOf.has(s.service))
      .map((s) => s.consumer),
  );

  return [...active].sort().map((system) => {
    const rules = new RuleSet();
    for (const { def, provider } of typeOf.values()) {
      if (provider === system || (system === HUB && active.has(provider)))
        rules.topic(topic(def), WRITE);
    }
    // A subscription's status decides deliveries at the hub, not the read: a consumer reads
    // its topics as one group, and losing one topic would stop it for all of them.
    const subscribed = catalogue.subscriptions.filter(
      (s) => s.consumer === system && typeOf.has(s.service),
    );
    for (const s of subscribed) rules.topic(topic(typeOf.get(s.service)!.def), READ);
    if (subscribed.length > 0 || system === HUB) {
      rules.topic(topic(REPLAY_REQUESTED), READ);
      rules.topic(topic(RECEIPT), WRITE);
      rules.topic(deadLetterTopicOf(system, prefix), [...READ, ...WRITE]);
      rules.group(consumerGroupOf(system, prefix), 'literal');
    }
    if (system === HUB) {
      for (const def of EVENT_TYPES)
        rules.topic(topic(def), def.sector === HUB ? [...READ, ...WRITE] : READ);
      // Its log rebuilds read with groups of their own: `<prefix>lgsp.hub.rebuild.<time>`.
      rules.group(`${consumerGroupOf(system, prefix)}.`, 'prefix');
      for (const other of subscribers)
        rules.group(consumerGroupOf(other, prefix), 'literal', ['Describe']);
    }
    return { system, principal: principalOf(system, prefix), acls: rules.list() };
  });
}

/**
 * The principals whose ACLs the catalogue decides: every system it names, disabled ones
 * included (they must hold none), and the hub. ACLs of any other principal are left alone.
 */
export function managedPrincipals(
  catalogue: AccessCatalogue,
  opts: { topicPrefix?: string } = {},
): string[] {
  const codes = new Set([...catalogue.systems.map((s) => s.code), HUB]);
  return [...codes].sort().map((code) => `User:${principalOf(code, opts.topicPrefix)}`);
}

class RuleSet {
  private readonly rules = new Map<string, AclRule>();

  topic(name: string, operations: AclOperation[]): void {
    this.add({ type: 'topic', name, patternType: 'literal' }, operations);
  }

  group(
    name: string,
    patternType: 'literal' | 'prefix',
    operations: AclOperation[] = ['Read', 'Describe'],
  ): void {
    this.add({ type: 'group', name, patternType }, operations);
  }

  private add(resource: AclRule['resource'], operations: AclOperation[]): void {
    const key = `${resource.type}:${resource.patternType}:${resource.name}`;
    const ops = new Set([...(this.rules.get(key)?.operations ?? []), ...operations]);
    this.rules.set(key, { resource, operations: [...ops].sort() });
  }

  list(): AclRule[] {
    return [...this.rules.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
  }
}

/** One ACL as the broker stores it: every rule × operation, allowed from any host. */
export interface AclBinding {
  principal: string;
  resourceType: 'TOPIC' | 'GROUP';
  resourceName: string;
  patternType: 'LITERAL' | 'PREFIXED';
  operation: 'CREATE' | 'DESCRIBE' | 'READ' | 'WRITE';
}

export function aclBindings(access: KafkaUserAccess[]): AclBinding[] {
  return access.flatMap((u) =>
    u.acls.flatMap((rule) =>
      rule.operations.map((op) => ({
        principal: `User:${u.principal}`,
        resourceType: rule.resource.type === 'topic' ? ('TOPIC' as const) : ('GROUP' as const),
        resourceName: rule.resource.name,
        patternType:
          rule.resource.patternType === 'literal' ? ('LITERAL' as const) : ('PREFIXED' as const),
        operation: op.toUpperCase() as AclBinding['operation'],
      })),
    ),
  );
}

/** A line per ACL, as `hubctl kafka acls --print` shows them. */
export function formatAcl(b: AclBinding): string {
  return `${b.principal} ALLOW ${b.operation} ${b.resourceType}:${b.patternType}:${b.resourceName}`;
}

/**
 * The same access as Strimzi `KafkaUser` resources (SCRAM-SHA-512, simple authorization),
 * for a cluster managed by the Strimzi operator: the operator creates each user's password
 * in a Secret of the same name. The `v1` API: Strimzi serves it from 0.49, and only it from 1.0.
 */
export function strimziKafkaUsers(
  access: KafkaUserAccess[],
  opts: { cluster: string; namespace?: string },
): object {
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: access.map((u) => ({
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaUser',
      metadata: {
        name: u.principal,
        ...(opts.namespace ? { namespace: opts.namespace } : {}),
        labels: { 'strimzi.io/cluster': opts.cluster, 'lgsp.vn/system': u.system },
      },
      spec: {
        authentication: { type: 'scram-sha-512' },
        authorization: {
          type: 'simple',
          acls: u.acls.map((r) => ({ ...r, host: '*' })),
        },
      },
    })),
  };
}
