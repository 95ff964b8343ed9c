import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Picking cards to link must not scan every card. */
export class CardsToLinkIndex1764201600000 implements MigrationInterface {
  name = 'CardsToLinkIndex1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_cards_to_link" ON cards (card_number) WHERE link_status = 'NOT_REQUESTED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "IDX_cards_to_link"');
  }
}
