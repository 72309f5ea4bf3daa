export type Output = { out: (text: string) => void; err: (text: string) => void };

/** A command used wrongly: exit status 2 and the command's help. */
export class UsageError extends Error {}
