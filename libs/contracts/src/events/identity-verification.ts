export const VERIFICATION_RESULTS = ['MATCH', 'MISMATCH', 'NOT_FOUND'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

export const VERIFIED_FIELDS = ['fullName', 'dateOfBirth'] as const;
export type VerifiedField = (typeof VERIFIED_FIELDS)[number];
