import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { LOGGER } from '@lgsp/observability';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CatalogueService as ServiceRow,
  CatalogueVersion,
  MemberSystem,
  Subscription,
} from './catalogue.entities';
import * as demoCatalogue from './demo-catalogue.json';

export interface CatalogueFile {
  version: number;
  systems: MemberSystem[];
  services: ServiceRow[];
  subscriptions: Subscription[];
}

export const CATALOGUE_FILE = Symbol('CATALOGUE_FILE');
export const DEFAULT_CATALOGUE: CatalogueFile = demoCatalogue;

/**
 * A system entitled to a service, and the terms (purpose and legal basis, as worded now) it
 * is entitled under: each transaction it gets refers to those terms.
 */
export interface Subscriber {
  consumer: string;
  /**
   * The `subscription_terms` row of the subscription's current wording; null only in the
   * moment after a rewording, until the next read of the catalogue records it.
   */
  termsId: number | null;
}

/** What the hub needs to know about an event type when it sees one. */
export interface Route {
  service: string;
  provider: string;
  /** Active subscribers whose system is active too, by system code. */
  subscribers: Subscriber[];
}

const CACHE_MS = 2000;

/**
 * The service catalogue: member systems, the services they provide (one event type
 * each) and who subscribes to what. Seeded from a versioned file at start-up: a file
 * version not applied yet overwrites the rows it names; otherwise only missing rows are
 * added, so an administrator's changes survive restarts. Reads go through a short cache,
 * so a change takes effect within seconds, without a restart.
 */
@Injectable()
export class Catalogue implements OnModuleInit {
  private cache?: { at: number; routes: Map<string, Route>; systems: Map<string, MemberSystem> };

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CATALOGUE_FILE) private readonly file: CatalogueFile,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const applied = await this.dataSource.transaction((tx) => this.seed(tx));
    this.logger.info({ version: this.file.version, applied }, 'catalogue seeded');
  }

  private async seed(tx: EntityManager): Promise<'all rows' | 'missing rows'> {
    await tx.query('LOCK TABLE catalogue_versions IN EXCLUSIVE MODE');
    const isNew = !(await tx.findOneBy(CatalogueVersion, { version: this.file.version }));
    const write = async <T extends object>(entity: new () => T, rows: T[], keys: string[]) => {
      if (rows.length === 0) return;
      if (isNew) await tx.upsert(entity, rows, keys);
      else await tx.createQueryBuilder().insert().into(entity).values(rows).orIgnore().execute();
    };
    await write(MemberSystem, this.file.systems, ['code']);
    await write(ServiceRow, this.file.services, ['code']);
    await write(Subscription, this.file.subscriptions, ['consumer', 'service']);
    if (isNew) await tx.insert(CatalogueVersion, { version: this.file.version });
    return isNew ? 'all rows' : 'missing rows';
  }

  /** Drops the cache: the next read sees an administrator's change at once. */
  invalidate(): void {
    this.cache = undefined;
  }

  private async load() {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache;
    const [first, systems] = await Promise.all([
      this.routeRows(),
      this.dataSource.getRepository(MemberSystem).find(),
    ]);
    let rows = first;
    if (rows.some((r) => r.subscribers.some((s) => s.termsId === null))) {
      // A subscription's wording not seen before (new, or changed): its terms are recorded once.
      await this.dataSource.query(`
        INSERT INTO subscription_terms (consumer, service_code, purpose, legal_basis)
        SELECT consumer, service, purpose, legal_basis FROM subscriptions WHERE status = 'ACTIVE'
        ON CONFLICT (consumer, service_code, md5(purpose), (legal_basis IS NULL),
                     md5(COALESCE(legal_basis, ''))) DO NOTHING`);
      rows = await this.routeRows();
      const unmatched = rows.flatMap((r) =>
        r.subscribers
          .filter((sub) => sub.termsId === null)
          .map((sub) => `${sub.consumer}/${r.code}`),
      );
      // Reworded between the two reads: the next load (within seconds) records the new terms.
      if (unmatched.length)
        this.logger.warn({ subscriptions: unmatched }, 'subscription terms not recorded yet');
    }
    this.cache = {
      at: Date.now(),
      routes: new Map(
        rows.map((r) => [
          r.event_type,
          { service: r.code, provider: r.provider, subscribers: r.subscribers },
        ]),
      ),
      systems: new Map(systems.map((s) => [s.code, s])),
    };
    return this.cache;
  }

  private routeRows() {
    return this.dataSource.query<
      { event_type: string; code: string; provider: string; subscribers: Subscriber[] }[]
    >(`
      SELECT s.event_type, s.code, s.provider,
             COALESCE(jsonb_agg(jsonb_build_object('consumer', sub.consumer, 'termsId', st.id)
                                ORDER BY sub.consumer)
                      FILTER (WHERE sub.consumer IS NOT NULL), '[]') AS subscribers
        FROM services s
        LEFT JOIN (subscriptions sub
                   JOIN member_systems m ON m.code = sub.consumer AND m.status = 'ACTIVE'
                   LEFT JOIN subscription_terms st
                          ON st.consumer = sub.consumer AND st.service_code = sub.service
                         AND md5(st.purpose) = md5(sub.purpose)
                         AND (st.legal_basis IS NULL) = (sub.legal_basis IS NULL)
                         AND md5(COALESCE(st.legal_basis, '')) = md5(COALESCE(sub.legal_basis, ''))
                         -- the digests find the row; the texts themselves decide
                         AND st.purpose = sub.purpose
                         AND st.legal_basis IS NOT DISTINCT FROM sub.legal_basis)
               ON sub.service = s.code AND sub.status = 'ACTIVE'
       GROUP BY s.event_type, s.code, s.provider`);
  }

  /** Routes keyed by event type. */
  async routes(): Promise<Map<string, Route>> {
    return (await this.load()).routes;
  }

  async system(code: string): Promise<MemberSystem | undefined> {
    return (await this.load()).systems.get(code);
  }
}
