/** The width and side margins the overview's charts share, so that their steps line up. */
export const CHART = {
  W: 720,
  PAD: { left: 56, right: 44, top: 12, bottom: 28 },
} as const;
