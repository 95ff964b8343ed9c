/**
 * What the funeral allowance is a multiple of: the base salary (lương cơ sở) under the Social
 * Insurance Law 2014 (Art. 66), the reference level (mức tham chiếu) under the Social Insurance
 * Law 2024 (Luật Bảo hiểm xã hội số 41/2024/QH15, Art. 85(2)), in force from 2025-07-01.
 */
export const ALLOWANCE_BASE_KINDS = ['BASE_SALARY', 'REFERENCE_LEVEL'] as const;
export type AllowanceBaseKind = (typeof ALLOWANCE_BASE_KINDS)[number];

/** The day the Social Insurance Law 2024 took effect: from it, the base is the reference level. */
export const REFERENCE_LEVEL_FROM = '2025-07-01';

/** One row of the effective-dated table: an amount, the day it took effect, and what it is. */
export interface AllowanceBase {
  effectiveFrom: string;
  amountVnd: number;
  kind: AllowanceBaseKind;
}

/** Which kind of amount the law in force on `day` bases the allowance on. */
export function allowanceBaseKindOn(day: string): AllowanceBaseKind {
  return day < REFERENCE_LEVEL_FROM ? 'BASE_SALARY' : 'REFERENCE_LEVEL';
}

/**
 * The amount the funeral allowance of a death on `dateOfDeath` is based on. Both laws say the
 * amount "in the month" the person died (tại tháng mà người đó chết), so the lookup is by month:
 * the latest row that took effect in that month or before. Rows take effect on the 1st of a
 * month (the API refuses any other day), so this is also the row in force on the day of death.
 */
export function allowanceBaseOn<T extends AllowanceBase>(
  table: readonly T[],
  dateOfDeath: string,
): T | undefined {
  const month = dateOfDeath.slice(0, 7);
  return table
    .filter((row) => row.effectiveFrom.slice(0, 7) <= month)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
}

export const FUNERAL_ALLOWANCE_MULTIPLIER = 10;

/**
 * Who is entitled to the funeral allowance (trợ cấp mai táng): a pensioner, or a
 * participant with at least 12 months of contributions. The one place this rule lives.
 */
export function funeralEntitlement(p: {
  isPensioner: boolean;
  contributionMonths: number;
}): 'PENSIONER' | 'CONTRIBUTOR' | undefined {
  if (p.isPensioner) return 'PENSIONER';
  if (p.contributionMonths >= 12) return 'CONTRIBUTOR';
  return undefined;
}

/**
 * The end of a child's free card (group TE), as Decree 146/2018/NĐ-CP, Art. 13(2) sets it: a
 * child born before 30 September is covered to 30 September of the year they turn 72 months
 * (six years); a child born after 30 September, to the last day of the month they turn 72
 * months. The decree leaves two days open, and neither changes the date:
 * - born on 30 September: read as "before" it gives 30 September of that year, read as
 *   "after" the last day of September of that year — the same day;
 * - born on 29 February (before 30 September): 30 September of the sixth year, whatever day
 *   in a year without 29 February counts as the child's birthday.
 */
export function childCardEnd(dateOfBirth: string): string {
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  const sixth = year + 6;
  if (month < 9 || (month === 9 && day <= 30)) return `${sixth}-09-30`;
  // Born in October, November or December: turns 72 months in the same month, six years on.
  const lastDay = new Date(Date.UTC(sixth, month, 0)).getUTCDate();
  return `${sixth}-${String(month).padStart(2, '0')}-${lastDay}`;
}

/** The free card of a child (group TE): from birth to `childCardEnd`; none once that has passed. */
export function childCardValidity(
  dateOfBirth: string,
  today: string,
): { validFrom: string; validTo: string } | undefined {
  const validTo = childCardEnd(dateOfBirth);
  if (today > validTo) return undefined;
  return { validFrom: dateOfBirth, validTo };
}
