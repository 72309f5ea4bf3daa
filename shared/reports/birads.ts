import { z } from 'zod';

/**
 * BI-RADS 5th edition (ACR 2013) as codes and short labels only: the atlas's definitions are
 * copyrighted and stay out of the product. Categories 4A/4B/4C are for mammography and ultrasound;
 * breast MRI uses an undivided 4.
 */
export const BIRADS_CATEGORIES = ['0', '1', '2', '3', '4', '4A', '4B', '4C', '5', '6'] as const;
export type BiradsCategory = (typeof BIRADS_CATEGORIES)[number];
export const biradsCategorySchema = z.enum(BIRADS_CATEGORIES);

export const BIRADS_LABELS: Record<BiradsCategory, string> = {
  '0': 'Incomplete: needs additional imaging or prior mammograms',
  '1': 'Negative',
  '2': 'Benign',
  '3': 'Probably benign',
  '4': 'Suspicious',
  '4A': 'Low suspicion for malignancy',
  '4B': 'Moderate suspicion for malignancy',
  '4C': 'High suspicion for malignancy',
  '5': 'Highly suggestive of malignancy',
  '6': 'Known biopsy-proven malignancy',
};

/** The management each category stands for: what a patient is told to do next. */
export const BIRADS_MANAGEMENT: Record<BiradsCategory, string> = {
  '0': 'Recall for additional imaging and/or comparison with prior examinations',
  '1': 'Routine screening',
  '2': 'Routine screening',
  '3': 'Short-interval (6-month) follow-up or continued surveillance',
  '4': 'Tissue diagnosis',
  '4A': 'Tissue diagnosis',
  '4B': 'Tissue diagnosis',
  '4C': 'Tissue diagnosis',
  '5': 'Tissue diagnosis',
  '6': 'Surgical excision when clinically appropriate',
};

/**
 * Management buckets: a change between buckets changes what happens to the patient.
 * B0 incomplete, B1 routine (1-2), B2 short-interval follow-up (3), B3 tissue diagnosis (4-5), B6 known cancer.
 */
export type ManagementBucket = 'B0' | 'B1' | 'B2' | 'B3' | 'B6';

export function bucketOf(category: BiradsCategory): ManagementBucket {
  switch (category) {
    case '0':
      return 'B0';
    case '1':
    case '2':
      return 'B1';
    case '3':
      return 'B2';
    case '6':
      return 'B6';
    default:
      return 'B3';
  }
}

/** Higher is more worrisome; 0 ranks between 3 and 4 (it asks for more work-up), 6 above all. */
const SEVERITY: Record<BiradsCategory, number> = { '1': 1, '2': 2, '3': 3, '0': 3.5, '4': 4, '4A': 4.1, '4B': 4.2, '4C': 4.3, '5': 5, '6': 6 };

/** The more worrisome of two assessments: a patient's overall assessment follows her worse breast. */
export function worstCategory(categories: (BiradsCategory | null | undefined)[]): BiradsCategory | null {
  let worst: BiradsCategory | null = null;
  for (const category of categories) {
    if (category && (worst === null || SEVERITY[category] > SEVERITY[worst])) {
      worst = category;
    }
  }
  return worst;
}

export const BREAST_COMPOSITIONS = ['a', 'b', 'c', 'd'] as const;
export type BreastComposition = (typeof BREAST_COMPOSITIONS)[number];
export const breastCompositionSchema = z.enum(BREAST_COMPOSITIONS);

export const COMPOSITION_LABELS: Record<BreastComposition, string> = {
  a: 'The breasts are almost entirely fatty',
  b: 'There are scattered areas of fibroglandular density',
  c: 'The breasts are heterogeneously dense, which may obscure small masses',
  d: 'The breasts are extremely dense, which lowers the sensitivity of mammography',
};

/** c and d are "dense": the threshold for the US density notification (MQSA, 2024). */
export function isDense(composition: BreastComposition): boolean {
  return composition === 'c' || composition === 'd';
}
