import { deadLettersMigration } from '@lgsp/messaging';

/** Dead letters kept for replay (see docs/delivery.md). */
export class DeadLetters1763942400000 extends deadLettersMigration(1763942400000) {}
