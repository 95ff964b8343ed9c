import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { LOGGER } from '@lgsp/observability';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { CatalogueService as ServiceRow, MemberSystem, Subscription } from './catalogue.entities';
import demoCatalogue from './demo-catalogue.json';

export interface CatalogueFile {
  version: number;
  systems: MemberSystem[];
  services: ServiceRow[];
  subscriptions: Subscription[];
}

export const CATALOGUE_FILE = Symbol('CATALOGUE_FILE');
export const DEFAULT_CATALOGUE: CatalogueFile = demoCatalogue;

export interface Route {
  service: string;
  provider: string;
  subscribers: string[];
}

const CACHE_MS = 2000;

/**
 * The service catalogue: who provides which event type and who subscribes to it.
 * Seeded from a versioned file at start-up; read through a short cache so that a
 * change in the database takes effect within seconds, without a restart.
 */
@Injectable()
export class Catalogue implements OnModuleInit {
  private cache?: { at: number; routes: Map<string, Route> };

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CATALOGUE_FILE) private readonly file: CatalogueFile,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.upsert(MemberSystem, this.file.systems, ['code']);
      await tx.upsert(ServiceRow, this.file.services, ['code']);
      await tx.upsert(Subscription, this.file.subscriptions, ['consumer', 'service']);
    });
    this.logger.info({ version: this.file.version }, 'catalogue seeded');
  }

  /** The service an event type belongs to and its active subscribers, keyed by event type. */
  async routes(): Promise<Map<string, Route>> {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.routes;
    const rows: { event_type: string; code: string; provider: string; subscribers: string[] }[] =
      await this.dataSource.query(`
        SELECT s.event_type, s.code, s.provider,
               COALESCE(array_agg(sub.consumer ORDER BY sub.consumer)
                        FILTER (WHERE sub.consumer IS NOT NULL), '{}') AS subscribers
          FROM services s
          LEFT JOIN (subscriptions sub
                     JOIN member_systems m ON m.code = sub.consumer AND m.status = 'ACTIVE')
                 ON sub.service = s.code AND sub.status = 'ACTIVE'
         GROUP BY s.event_type, s.code, s.provider`);
    const routes = new Map(
      rows.map((r) => [
        r.event_type,
        { service: r.code, provider: r.provider, subscribers: r.subscribers },
      ]),
    );
    this.cache = { at: Date.now(), routes };
    return routes;
  }
}
