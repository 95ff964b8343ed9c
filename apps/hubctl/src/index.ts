export { seed } from './seed';
export { exportLog, publicKeysFileOf, verifyExportFile } from './audit';
export { HubClient } from './hub-client';
export { countRefusals, type Refusal } from './kafka-refusals';
