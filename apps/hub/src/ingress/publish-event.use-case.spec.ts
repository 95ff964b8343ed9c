import { OutboxWriter } from '@lgsp/messaging';
import { ApiError } from '@lgsp/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { Catalogue } from '../catalogue/catalogue.service';
import { StoredValues } from '../privacy/stored-values';
import { PublishEventUseCase } from './publish-event.use-case';

const TYPE = 'land.ownership-registered.v1';

/** The door with a catalogue that grants land its type, and an outbox that keeps what it is given. */
function door() {
  const written: { topic: string; payload: Buffer | null }[][] = [];
  const tx = {
    query: (_: string, params: unknown[]) => {
      const rows = [];
      for (let i = 0; i < params.length; i += 4)
        rows.push({ topic: params[i] as string, payload: params[i + 3] as Buffer | null });
      written.push(rows);
      return Promise.resolve([]);
    },
  } as unknown as EntityManager;
  const dataSource = {
    transaction: (work: (m: EntityManager) => Promise<unknown>) => work(tx),
  } as unknown as DataSource;
  const catalogue = {
    system: () => Promise.resolve({ code: 'land', status: 'ACTIVE' }),
    routes: () =>
      Promise.resolve(
        new Map([[TYPE, { service: 'ownership-registration', provider: 'land', subscribers: [] }]]),
      ),
  } as unknown as Catalogue;
  const outbox = new OutboxWriter({
    system: 'hub',
    provinceCode: '01',
    topicPrefix: '',
    subjectHashKey: 'spec-key-0123456789',
  });
  const useCase = new PublishEventUseCase(
    dataSource,
    outbox,
    catalogue,
    new StoredValues('spec-key-0123456789'),
  );
  const land = { role: 'SYSTEM' as const, system: 'land', credentialId: 'c', label: 'land' };
  return { useCase, written, land };
}

describe('PublishEventUseCase: hostile input at the door', () => {
  it.each(['\u0000', '\u0000\u0000'])(
    'refuses an event type that is nothing but NULs (%j) with a coded 404, and logs it',
    async (type) => {
      const { useCase, written, land } = door();
      const refused = await useCase
        .execute({ type, keyGiven: true, principal: land, body: {}, correlationId: 'c-1' })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ApiError);
      expect(refused).toMatchObject({ code: 'CONTRACT.UNKNOWN_EVENT_TYPE' });
      const [[rejection]] = written;
      expect(rejection.topic).toBe('lgsp.hub.rejections.v1');
      expect(JSON.parse(String(rejection.payload))).not.toHaveProperty('eventType');
    },
  );

  it('still names the type it was given in the rejection', async () => {
    const { useCase, written, land } = door();
    await useCase
      .execute({ type: TYPE, keyGiven: true, principal: land, body: [], correlationId: 'c-2' })
      .catch(() => undefined);
    expect(JSON.parse(String(written[0][0].payload))).toMatchObject({
      eventType: TYPE,
      errorCode: 'CONTRACT.INVALID_PAYLOAD',
    });
  });
});
