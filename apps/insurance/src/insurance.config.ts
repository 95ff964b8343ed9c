import { ServiceConfig } from '@lgsp/platform';

export class InsuranceConfig extends ServiceConfig {}

export const INSURANCE_CONFIG = Symbol('INSURANCE_CONFIG');
