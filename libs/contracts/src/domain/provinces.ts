import * as data from './provinces.data.json';

export interface Province {
  /** Two-digit code used in health-insurance card numbers. */
  code: string;
  /** '0' + code: the first three digits of a personal ID number. */
  idPrefix: string;
  name: string;
}

export const PROVINCES: readonly Province[] = data.provinces;

const byCode = new Map(PROVINCES.map((p) => [p.code, p]));
const byIdPrefix = new Map(PROVINCES.map((p) => [p.idPrefix, p]));

export function provinceByCode(code: string): Province | undefined {
  return byCode.get(code);
}

export function provinceByIdPrefix(prefix: string): Province | undefined {
  return byIdPrefix.get(prefix);
}
