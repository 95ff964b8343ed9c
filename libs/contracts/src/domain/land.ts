/** Land-use purpose codes (mục đích sử dụng đất) accepted on a parcel. */
export const LAND_USE_PURPOSES = [
  'LUC',
  'LUK',
  'LUN',
  'BHK',
  'NHK',
  'CLN',
  'RSX',
  'RPH',
  'RDD',
  'NTS',
  'LMU',
  'NKH',
  'ONT',
  'ODT',
  'TSC',
  'CQP',
  'CAN',
  'SKC',
  'TMD',
  'SKK',
  'SKN',
  'SKX',
  'DGT',
  'DTL',
  'DVH',
  'DYT',
  'DGD',
  'DTT',
  'NTD',
  'MNC',
  'SON',
  'PNK',
  'CSD',
] as const;
export type LandUsePurpose = (typeof LAND_USE_PURPOSES)[number];

/** Commune code (mã đơn vị hành chính cấp xã): five digits. */
export const COMMUNE_CODE = /^\d{5}$/;

/** A parcel is named by its commune, map sheet and parcel number. */
export function parcelKey(
  communeCode: string,
  mapSheetNumber: number,
  parcelNumber: number,
): string {
  return `${communeCode}-${mapSheetNumber}-${parcelNumber}`;
}
