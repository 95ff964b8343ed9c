import { settleWithin } from '@lgsp/observability';
import { DataSource } from 'typeorm';

/** How long closing the pool waits for connections still in use. */
export const POOL_CLOSE_WAIT_MS = 2000;

/**
 * The service's DataSource. Closing a pool waits until every connection in use comes back;
 * one held by a step that hangs (an outbox send retrying against a broker that is gone) would
 * keep the service from ever stopping. Here the wait is bounded: a transaction still open
 * when the process leaves is rolled back by the server, and its work is done again later.
 */
export class BoundedDataSource extends DataSource {
  override async destroy(): Promise<void> {
    await settleWithin(super.destroy(), POOL_CLOSE_WAIT_MS);
  }
}
