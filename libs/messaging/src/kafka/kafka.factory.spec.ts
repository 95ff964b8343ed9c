import { serviceTopics } from './kafka.factory';

describe('serviceTopics: what a service provisions at start-up', () => {
  it('is what it publishes, what it consumes, receipts and replays, and its dead letters', () => {
    const land = serviceTopics('p.', 'land', [
      'population.citizen-deceased.v1',
      'population.identity-verified.v1',
    ]);
    expect(land.sort()).toEqual([
      'p.lgsp.hub.receipts.v1',
      'p.lgsp.hub.replay-requests.v1',
      'p.lgsp.land.dlq.v1',
      'p.lgsp.land.ownership-registered.v1',
      'p.lgsp.population.citizen-deceased.v1',
      'p.lgsp.population.identity-verified.v1',
    ]);
  });

  it('leaves out receipts and replays for a service that consumes nothing', () => {
    expect(serviceTopics('', 'civil-status').sort()).toEqual([
      'lgsp.civil-status.birth-registered.v1',
      'lgsp.civil-status.death-registered.v1',
      'lgsp.civil-status.dlq.v1',
    ]);
  });
});
