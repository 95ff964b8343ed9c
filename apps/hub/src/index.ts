export * from './hub.definition';
export { RecordExchangeUseCase } from './exchange-log/record-exchange.use-case';
export { HubConfig } from './hub.config';
