export * from './hub.definition';
export { RecordExchangeUseCase } from './exchange-log/record-exchange.use-case';
export { HubConfig } from './hub.config';
export { Stats } from './stats/stats';
export { Sealer } from './audit/sealing';
export { VerifyLog } from './audit/verify-log';
