/**
 * V8 heap limits for the import's threads (the importer's worker and its readers). They allocate fast
 * and keep little (about 30 MB live), but left alone V8 grows each young generation with the
 * allocation rate, up to 128 MB, and keeps it: over a DVD's worth of files that alone would take
 * the import past its memory budget. With 24 MB, a 2 GB import peaked at 215-221 MB instead of
 * 265-277 MB, at no measurable cost in speed (bench:import).
 */
export const IMPORT_THREAD_LIMITS = { maxYoungGenerationSizeMb: 24 } as const;
