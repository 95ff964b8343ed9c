import { provinceByCode } from './provinces';

/**
 * Beneficiary groups (mã đối tượng) that open a BHYT card number. `TE` is the free card
 * of a child under six.
 */
export const BENEFICIARY_GROUPS = [
  'DN',
  'HX',
  'CH',
  'NN',
  'TK',
  'HC',
  'XK',
  'HT',
  'TB',
  'NO',
  'CT',
  'XB',
  'TN',
  'CS',
  'XN',
  'MS',
  'CC',
  'CK',
  'CB',
  'KC',
  'HD',
  'TE',
  'BT',
  'HN',
  'DT',
  'DK',
  'XD',
  'TS',
  'TC',
  'TQ',
  'TA',
  'TY',
  'HG',
  'LS',
  'PV',
  'CN',
  'HS',
  'SV',
  'GB',
  'GD',
  'ND',
  'QN',
  'CA',
  'CY',
] as const;
export type BeneficiaryGroup = (typeof BENEFICIARY_GROUPS)[number];

/** 10-digit social-insurance number (mã số BHXH). */
export const SOCIAL_INSURANCE_NUMBER = /^\d{10}$/;

/**
 * BHYT card number, 15 characters: group (2 letters), benefit level (1–5),
 * province code (2 digits), social-insurance number (10 digits).
 */
export function formatBhytCardNumber(
  group: BeneficiaryGroup,
  benefitLevel: number,
  provinceCode: string,
  socialInsuranceNumber: string,
): string {
  if (!Number.isInteger(benefitLevel) || benefitLevel < 1 || benefitLevel > 5) {
    throw new RangeError(`benefit level ${benefitLevel} is not 1–5`);
  }
  if (!provinceByCode(provinceCode)) throw new RangeError(`unknown province code ${provinceCode}`);
  if (!SOCIAL_INSURANCE_NUMBER.test(socialInsuranceNumber)) {
    throw new RangeError('a social-insurance number has 10 digits');
  }
  return `${group}${benefitLevel}${provinceCode}${socialInsuranceNumber}`;
}

export interface BhytCardParts {
  group: BeneficiaryGroup;
  benefitLevel: number;
  provinceCode: string;
  socialInsuranceNumber: string;
}

export function parseBhytCardNumber(card: string): BhytCardParts | undefined {
  const m = /^([A-Z]{2})([1-5])(\d{2})(\d{10})$/.exec(card);
  if (!m) return undefined;
  const group = m[1] as BeneficiaryGroup;
  if (!BENEFICIARY_GROUPS.includes(group) || !provinceByCode(m[3])) return undefined;
  return { group, benefitLevel: Number(m[2]), provinceCode: m[3], socialInsuranceNumber: m[4] };
}
