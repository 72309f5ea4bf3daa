import { z } from 'zod';
import { SR_LIMITS, SR_VALUE_TYPES } from '../reports/document.ts';
import type { InstanceDocument, SrContentItem } from '../reports/document.ts';

/** The runtime schema of shared/reports/document.ts: what getDocument may answer. */
const text = z.string().max(SR_LIMITS.maxText);
const short = z.string().max(1024);

const codedConceptSchema = z.object({ value: short, scheme: short, meaning: short });

const srContentItemSchema: z.ZodType<SrContentItem> = z.lazy(() =>
  z.object({
    relationship: short,
    valueType: z.enum(SR_VALUE_TYPES),
    rawValueType: short,
    concept: codedConceptSchema.nullable(),
    text: text.nullable(),
    code: codedConceptSchema.nullable(),
    numeric: z.object({ value: short, unit: codedConceptSchema.nullable() }).nullable(),
    numericQualifier: codedConceptSchema.nullable(),
    reference: z.object({ sopClassUid: short, sopInstanceUid: short, frames: z.array(z.number().int()) }).nullable(),
    graphic: z.object({ type: short, points: z.number().int().nonnegative() }).nullable(),
    continuity: short,
    referencedItem: short.nullable(),
    children: z.array(srContentItemSchema).max(SR_LIMITS.maxItems),
  }),
);

const documentHeaderSchema = z.object({
  patientName: short,
  patientId: short,
  patientBirthDate: short,
  patientSex: short,
  studyDescription: short,
  studyDate: short,
  accessionNumber: short,
  seriesDescription: short,
  seriesNumber: short,
  manufacturer: short,
  contentDate: short,
  contentTime: short,
});

export const instanceDocumentSchema: z.ZodType<InstanceDocument> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('structured-report'),
    sopInstanceUid: short,
    sopClassUid: short,
    title: short,
    header: documentHeaderSchema,
    completionFlag: short,
    verificationFlag: short,
    preliminaryFlag: short,
    verifyingObservers: z.array(z.object({ name: short, organization: short, dateTime: short })).max(100),
    root: srContentItemSchema,
    truncated: z.boolean(),
  }),
  z.object({
    kind: z.literal('pdf'),
    sopInstanceUid: short,
    sopClassUid: short,
    title: short,
    header: documentHeaderSchema,
    bytes: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('not-displayable'),
    sopInstanceUid: short,
    sopClassUid: short,
    reason: short,
    header: documentHeaderSchema,
  }),
]);
