import { DataSource } from 'typeorm';
import { BoundedDataSource, POOL_CLOSE_WAIT_MS } from './bounded-data-source';

describe('BoundedDataSource', () => {
  afterEach(() => jest.restoreAllMocks());

  it('stops waiting for a pool whose connections never come back', async () => {
    // A pool's end() waits for every connection in use; one held by a hung step never returns.
    const destroy = jest
      .spyOn(DataSource.prototype, 'destroy')
      .mockReturnValue(new Promise(() => undefined));
    const ds = new BoundedDataSource({
      type: 'postgres',
      url: 'postgres://nobody@127.0.0.1:1/none',
    });
    const t0 = Date.now();
    await ds.destroy();
    expect(destroy).toHaveBeenCalled();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(POOL_CLOSE_WAIT_MS - 50);
    expect(Date.now() - t0).toBeLessThan(POOL_CLOSE_WAIT_MS + 1000);
  });

  it('returns as soon as the pool has closed', async () => {
    jest.spyOn(DataSource.prototype, 'destroy').mockResolvedValue(undefined);
    const ds = new BoundedDataSource({
      type: 'postgres',
      url: 'postgres://nobody@127.0.0.1:1/none',
    });
    const t0 = Date.now();
    await ds.destroy();
    expect(Date.now() - t0).toBeLessThan(500);
  });
});
