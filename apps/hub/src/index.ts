export * from './hub.definition';
export { RecordExchangeUseCase } from './exchange-log/record-exchange.use-case';
export { HubConfig } from './hub.config';
export { Stats } from './stats/stats';
export { Sealer, loadEntries, toSeal } from './audit/sealing';
export { VerifyLog } from './audit/verify-log';
export { buildSeal, type Seal, type SealableEntry } from './audit/merkle';
export { verifySeals } from './audit/verify';
export { loadSealKeys, type SealKeys } from './audit/seal-keys';
export { SealKeyring, SealSigner, keyIdOf } from './audit/seal-signature';
export { SealRow } from './audit/seal.entity';
export { verifySealedExport, type ExportVerification } from './audit/verify-export';
export { APPLY_ACLS_COMMAND, readAccessCatalogue } from './catalogue/kafka-access';
export { Catalogue, DEFAULT_CATALOGUE } from './catalogue/catalogue.service';
export {
  archiveBefore,
  archivePublicKeysFile,
  partitionsBefore,
  type MonthArchived,
} from './audit/log-archive';
export { fileLines, verifyArchive, type ArchiveVerification } from './audit/verify-archive';
export { LogRetention } from './audit/log-retention';
