import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENT_TYPES, eventTypeKey } from '@lgsp/contracts';
import { type InboundMessage, OnEvent } from '@lgsp/messaging';
import { RecordExchangeUseCase } from './record-exchange.use-case';

/** The hub reads every event stream and the receipts, as they are, into the exchange log. */
@Controller()
export class ExchangeLogConsumer {
  constructor(
    @Inject(RecordExchangeUseCase) private readonly recordExchange: RecordExchangeUseCase,
  ) {}

  @OnEvent(EVENT_TYPES.map(eventTypeKey), { mode: 'observe' })
  async record(@Payload() messages: InboundMessage[]): Promise<void> {
    await this.recordExchange.record(messages);
  }
}
