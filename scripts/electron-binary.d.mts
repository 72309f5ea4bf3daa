export function findElectronBinary(): { path: string; reason: null } | { path: null; reason: string };
