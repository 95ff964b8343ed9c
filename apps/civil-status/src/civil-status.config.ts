import { ServiceConfig } from '@lgsp/platform';

export class CivilStatusConfig extends ServiceConfig {}

export const CIVIL_STATUS_CONFIG = Symbol('CIVIL_STATUS_CONFIG');
