import {
  type AccessCatalogue,
  aclBindings,
  catalogueAccess,
  formatAcl,
  type KafkaUserAccess,
  managedPrincipals,
  strimziKafkaUsers,
} from './kafka-acls';

const system = (code: string, status = 'ACTIVE') => ({ code, status });
const service = (code: string, eventType: string, provider: string) => ({
  code,
  eventType,
  provider,
});
const sub = (consumer: string, svc: string, status = 'ACTIVE') => ({
  consumer,
  service: svc,
  status,
});

const CATALOGUE: AccessCatalogue = {
  systems: [system('civil-status'), system('population'), system('land'), system('insurance')],
  services: [
    service('birth-registration', 'civil-status.birth-registered.v1', 'civil-status'),
    service('citizen-registration', 'population.citizen-registered.v1', 'population'),
    service('citizen-death', 'population.citizen-deceased.v1', 'population'),
    service('ownership-registration', 'land.ownership-registered.v1', 'land'),
  ],
  subscriptions: [
    sub('population', 'birth-registration'),
    sub('population', 'ownership-registration'),
    sub('insurance', 'citizen-registration'),
    sub('land', 'citizen-death'),
    sub('insurance', 'citizen-death', 'DISABLED'),
  ],
};

/** `principal → ["Write topic:…", …]`: what each may do, one string per operation. */
function allowed(access: KafkaUserAccess[]): Map<string, string[]> {
  return new Map(
    access.map((u) => [
      u.principal,
      u.acls.flatMap((r) =>
        r.operations.map((op) => `${op} ${r.resource.type}:${r.resource.name}`),
      ),
    ]),
  );
}

describe('catalogueAccess: the broker ACLs the catalogue implies', () => {
  const acl = allowed(catalogueAccess(CATALOGUE));

  it('lets a provider write only the topics of the services it provides', () => {
    const writes = acl.get('land')!.filter((a) => a.startsWith('Write topic:'));
    expect(writes.sort()).toEqual([
      'Write topic:lgsp.hub.receipts.v1',
      'Write topic:lgsp.land.dlq.v1',
      'Write topic:lgsp.land.ownership-registered.v1',
    ]);
    expect(acl.get('civil-status')).toContain('Write topic:lgsp.civil-status.birth-registered.v1');
    expect(acl.get('land')).not.toContain('Write topic:lgsp.civil-status.birth-registered.v1');
  });

  it('lets a subscriber read only what it has a subscription to, and its own', () => {
    const reads = acl.get('insurance')!.filter((a) => a.startsWith('Read '));
    // Its subscription to citizen-death is disabled: the hub routes nothing to it, but a
    // consumer cannot lose one topic of its group without stopping for all of them.
    expect(reads.sort()).toEqual([
      'Read group:lgsp.insurance',
      'Read topic:lgsp.hub.replay-requests.v1',
      'Read topic:lgsp.insurance.dlq.v1',
      'Read topic:lgsp.population.citizen-deceased.v1',
      'Read topic:lgsp.population.citizen-registered.v1',
    ]);
    expect(acl.get('insurance')).not.toContain('Read topic:lgsp.land.ownership-registered.v1');
    expect(acl.get('civil-status')).not.toContain('Read topic:lgsp.population.citizen-deceased.v1');
  });

  it('gives the hub every topic of the contracts to read, and its own to write', () => {
    const hub = acl.get('hub')!;
    for (const t of [
      'lgsp.civil-status.death-registered.v1',
      'lgsp.insurance.card-issued.v1',
      'lgsp.hub.receipts.v1',
    ])
      expect(hub).toContain(`Read topic:${t}`);
    expect(hub).toContain('Write topic:lgsp.hub.rejections.v1');
    expect(hub).toContain('Write topic:lgsp.hub.replay-requests.v1');
    // Its HTTP door publishes for active providers only; no service names card-issued.
    expect(hub).toContain('Write topic:lgsp.land.ownership-registered.v1');
    expect(hub).not.toContain('Write topic:lgsp.insurance.card-issued.v1');
    expect(hub).toContain('Read group:lgsp.hub.');
  });

  it('lets the hub describe each active subscriber’s consumer group (its lag), never join it', () => {
    const hub = acl.get('hub')!;
    for (const system of ['insurance', 'land', 'population'])
      expect(hub).toContain(`Describe group:lgsp.${system}`);
    expect(hub).not.toContain('Read group:lgsp.insurance');
    // civil-status subscribes to nothing here: it runs no consumer group.
    expect(hub.filter((a) => a.startsWith('Describe group:')).sort()).toEqual([
      'Describe group:lgsp.hub',
      'Describe group:lgsp.hub.',
      'Describe group:lgsp.insurance',
      'Describe group:lgsp.land',
      'Describe group:lgsp.population',
    ]);
    const disabled = catalogueAccess({
      ...CATALOGUE,
      systems: CATALOGUE.systems.map((s) => (s.code === 'land' ? system('land', 'DISABLED') : s)),
    });
    expect(allowed(disabled).get('hub')).not.toContain('Describe group:lgsp.land');
    expect(aclBindings(catalogueAccess(CATALOGUE)).map(formatAcl)).toContain(
      'User:hub ALLOW DESCRIBE GROUP:LITERAL:lgsp.population',
    );
  });

  it('gives a disabled system nothing, and still names it among the managed principals', () => {
    const catalogue = {
      ...CATALOGUE,
      systems: CATALOGUE.systems.map((s) => (s.code === 'land' ? system('land', 'DISABLED') : s)),
    };
    const access = catalogueAccess(catalogue);
    expect(access.map((u) => u.principal)).toEqual([
      'civil-status',
      'hub',
      'insurance',
      'population',
    ]);
    expect(allowed(access).get('hub')).not.toContain(
      'Write topic:lgsp.land.ownership-registered.v1',
    );
    expect(managedPrincipals(catalogue)).toContain('User:land');
  });

  it('puts the topic prefix on topics, groups and principals', () => {
    const access = catalogueAccess(CATALOGUE, { topicPrefix: 'run7.' });
    const land = access.find((u) => u.system === 'land')!;
    expect(land.principal).toBe('run7.land');
    expect(land.acls.map((r) => r.resource.name).every((n) => n.startsWith('run7.lgsp.'))).toBe(
      true,
    );
    expect(managedPrincipals(CATALOGUE, { topicPrefix: 'run7.' })).toContain('User:run7.hub');
  });

  it('grants nothing for a service whose event type the contracts do not know', () => {
    const access = catalogueAccess({
      ...CATALOGUE,
      services: [...CATALOGUE.services, service('ghost', 'land.ghost.v9', 'land')],
      subscriptions: [...CATALOGUE.subscriptions, sub('insurance', 'ghost')],
    });
    expect(JSON.stringify(access)).not.toContain('ghost');
  });

  it('flattens to one ACL per operation, and to Strimzi KafkaUser resources', () => {
    const access = catalogueAccess(CATALOGUE);
    const bindings = aclBindings(access);
    const count = access.reduce(
      (n, u) => n + u.acls.reduce((m, r) => m + r.operations.length, 0),
      0,
    );
    expect(bindings).toHaveLength(count);
    expect(bindings.map(formatAcl)).toContain(
      'User:land ALLOW WRITE TOPIC:LITERAL:lgsp.land.ownership-registered.v1',
    );
    expect(bindings.map(formatAcl)).toContain('User:hub ALLOW READ GROUP:PREFIXED:lgsp.hub.');
    const users = strimziKafkaUsers(access, { cluster: 'lgsp' }) as {
      items: { metadata: { name: string }; spec: { authorization: { acls: unknown[] } } }[];
    };
    expect(users.items.map((u) => u.metadata.name)).toEqual(access.map((u) => u.principal));
    expect(users.items[0].spec.authorization.acls).toHaveLength(access[0].acls.length);
  });
});
