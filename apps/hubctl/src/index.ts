export { seed } from './seed';
export { exportLog, publicKeysFileOf, verifyExportFile } from './audit';
export { HubClient } from './hub-client';
export { subjectReportCommand } from './subject-report';
export { countRefusals, type Refusal } from './kafka-refusals';
export { DEFAULT_TOPIC_SETTINGS, generateKubernetes, topicNames, writeGenerated } from './k8s';
export { archiveLog, verifyArchiveFile } from './archive';
