import type { Consumer } from 'kafkajs';

/** The events of a kafkajs consumer this state follows. */
type ConsumerEvents = Pick<Consumer, 'on' | 'events'>;

type Phase =
  /** No topic to consume: nothing to wait for. */
  | 'none'
  /** Created, not yet a member of its group. */
  | 'joining'
  | 'joined'
  /** Crashed; kafkajs starts it again after a delay (restart) or never. */
  | 'restarting'
  | 'crashed'
  | 'stopped';

/**
 * What the service's Kafka consumer is doing, as its events tell: read only, it never acts on
 * the consumer. Readiness asks it: a replica is ready to be given work once its consumer is a
 * member of its group, and stops being ready when the consumer crashes or stops, until it
 * joins again. A member that a rebalance leaves with no partition (more replicas than
 * partitions) is ready: it is a standby, and its HTTP side serves like any other. A rebalance
 * in progress does not make it unready, so that adding a replica does not take the others out.
 */
export class ConsumerState {
  private phase: Phase = 'joining';
  private partitions = 0;
  private reason = '';

  /** The transport has no topic to consume. */
  none(): void {
    this.phase = 'none';
  }

  watch(consumer: ConsumerEvents): void {
    this.phase = 'joining';
    const { GROUP_JOIN, CRASH, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      this.phase = 'joined';
      this.partitions = Object.values(payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
    });
    // kafkajs stops a consumer before it reports its crash: CRASH comes after STOP.
    consumer.on(STOP, () => {
      this.phase = 'stopped';
    });
    consumer.on(CRASH, ({ payload }) => {
      this.phase = payload.restart ? 'restarting' : 'crashed';
      this.reason = payload.error.message;
    });
  }

  /** Partitions of the last assignment (0 before the first). */
  get assigned(): number {
    return this.partitions;
  }

  /** Resolves when the consumer may be counted on; rejects with what it is doing otherwise. */
  check(): Promise<string> {
    switch (this.phase) {
      case 'none':
        return Promise.resolve('no topic to consume');
      case 'joined':
        return Promise.resolve(
          `${this.partitions} partition${this.partitions === 1 ? '' : 's'} assigned`,
        );
      case 'joining':
        return Promise.reject(new Error('not yet a member of its consumer group'));
      case 'restarting':
        return Promise.reject(new Error(`crashed (${this.reason}); restarting`));
      case 'crashed':
        return Promise.reject(new Error(`crashed (${this.reason}); not restarting`));
      case 'stopped':
        return Promise.reject(new Error('stopped'));
    }
  }
}
