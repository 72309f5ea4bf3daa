import { z } from 'zod';
import { MR_ROLES, PLANES, PRIOR_RULES, SCALING_MODES, syncGroupSchema } from './protocol.ts';
import { ORIENTATION_STATUSES } from './mammo-orientation.ts';

const storedSide = z.enum(['left', 'right']).nullable();

/** How a mammogram's orientation was decided (mammo-orientation.ts): header, pixels, reader. */
export const orientationCheckSchema = z.object({
  status: z.enum(ORIENTATION_STATUSES),
  header: z.string(),
  headerChestWall: storedSide,
  imageChestWall: storedSide,
  chosenChestWall: storedSide,
  shownChestWall: storedSide,
});
export type OrientationCheckRecord = z.infer<typeof orientationCheckSchema>;

/**
 * A resolved layout: what the engine decided for one stage of one protocol, cell by cell, with the
 * rules that fired. The viewer draws it; `concord hang --json` prints it (the names of the fields
 * printed by the command line are relied on by support staff: keep them).
 */

export const resolvedSlotSchema = z.object({
  /** The viewport's name: vp-0, vp-1... left to right, top to bottom (the element's data-slot). */
  slot: z.string(),
  row: z.number().int(),
  column: z.number().int(),
  role: z.enum(['current', 'prior']),
  /** 1 for the chosen prior, 2 for the one before it...; null for the current study. */
  priorNumber: z.number().int().nullable(),
  studyInstanceUid: z.string().nullable(),
  seriesInstanceUid: z.string().nullable(),
  /** The image for per-instance display sets (mammography); the first image of a series otherwise. */
  sopInstanceUid: z.string().nullable(),
  /** The study's date and facility: shown on every prior cell. */
  studyDate: z.string(),
  facility: z.string(),
  /** What the cell is, as a reader says it: "RCC", "LMLO ID", "T2 ax", "No prior RCC". */
  label: z.string(),
  laterality: z.enum(['R', 'L', 'B']).nullable(),
  view: z.string().nullable(),
  modifiers: z.array(z.string()),
  seriesRole: z.enum(MR_ROLES).nullable(),
  phase: z.number().int().nullable(),
  /** Plane of acquisition of a cross-sectional series; absent or null for projection images. */
  plane: z.enum(PLANES).nullable().optional(),
  flipHorizontal: z.boolean(),
  flipVertical: z.boolean(),
  /** Degrees clockwise: 0, 90, 180 or 270. */
  rotation: z.number().int(),
  justification: z.object({
    horizontal: z.enum(['left', 'right', 'center']),
    vertical: z.enum(['top', 'center', 'bottom']),
  }),
  scaling: z.enum(SCALING_MODES),
  /** Physical size of one displayed pixel (row, column) in mm for same-size scaling; null when not calibrated. */
  mmPerPixel: z.tuple([z.number(), z.number()]).nullable(),
  /** How that spacing was found (shared/dicom/calibration.ts kinds). */
  calibrationKind: z.string().nullable(),
  syncGroups: z.array(z.string()),
  /** What the engine had to infer, e.g. "laterality from series description", "orientation inferred from pixels". */
  inferred: z.array(z.string()),
  /** The rules that fired, in order, e.g. "laterality: Image Laterality (0020,0062) = R". */
  rules: z.array(z.string()),
  /** Shown on the cell, e.g. "For Processing image: no For Presentation image of this view". */
  warnings: z.array(z.string()),
  /** Mammograms hung to the target orientation: what header and pixels said, who decided; null otherwise. */
  orientation: orientationCheckSchema.nullable().optional(),
  /** Why the cell is empty ("No prior RCC"); null when it shows an image. */
  empty: z.string().nullable(),
  /** Other images that matched this slot as well (repeats), best first: the reader can step through them. */
  alternatives: z.array(z.string()),
});
export type ResolvedSlot = z.infer<typeof resolvedSlotSchema>;

export const priorCandidateSchema = z.object({
  studyInstanceUid: z.string(),
  studyDate: z.string(),
  facility: z.string(),
  studyDescription: z.string(),
  modalities: z.array(z.string()),
});

export const resolvedLayoutSchema = z.object({
  protocol: z.object({ id: z.string(), name: z.string() }),
  /** The stage shown: its number counts from 1 in the reader's stage order. */
  stage: z.object({ id: z.string(), number: z.number().int(), name: z.string(), count: z.number().int() }),
  stages: z.array(z.object({ id: z.string(), number: z.number().int(), name: z.string(), status: z.enum(['enabled', 'passive', 'disabled']) })),
  grid: z.object({ rows: z.number().int(), columns: z.number().int() }),
  prior: z
    .object({ studyInstanceUid: z.string(), studyDate: z.string(), facility: z.string(), reason: z.string() })
    .nullable(),
  /** Every earlier study that can serve as a prior, newest first: the reader steps through them. */
  priors: z.array(priorCandidateSchema),
  slots: z.array(resolvedSlotSchema),
  syncGroups: z.array(syncGroupSchema),
  /** Objects kept out of the stages (tomosynthesis, vendor projection sets, localizers...), with why. */
  additional: z.array(z.object({
    studyInstanceUid: z.string(),
    seriesInstanceUid: z.string(),
    sopInstanceUid: z.string().nullable(),
    label: z.string(),
    reason: z.string(),
  })),
  /** Protocols that could hang this study, best first, with their activation score. */
  candidates: z.array(z.object({ id: z.string(), name: z.string(), score: z.number() })),
  warnings: z.array(z.string()),
});
export type ResolvedLayout = z.infer<typeof resolvedLayoutSchema>;

/** What the reader asks for; everything optional: the engine picks the best protocol, stage 1 and the default prior. */
export const hangingRequestSchema = z.strictObject({
  protocolId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
  /** Counted from 1 in the reader's stage order. */
  stage: z.number().int().min(1).max(16).optional(),
  priorStudyInstanceUid: z.string().regex(/^[0-9.]{1,64}$/).optional(),
  priorRule: z.enum(PRIOR_RULES).optional(),
});
export type HangingRequest = z.infer<typeof hangingRequestSchema>;
