import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RotatingLog {
  write(level: 'info' | 'warn' | 'error', message: string): void;
  readonly path: string;
}

/**
 * The desktop app's log: `concord.log` in the user's data folder, moved to `concord.1.log` (and so on,
 * `keep` files) once it passes `maxBytes`, so it never grows without bound.
 */
export function createRotatingLog(folder: string, { maxBytes = 5 * 1024 * 1024, keep = 3 } = {}): RotatingLog {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'concord.log');
  const numbered = (n: number): string => join(folder, `concord.${n}.log`);
  function rotateIfFull(): void {
    if (!existsSync(path) || statSync(path).size < maxBytes) {
      return;
    }
    rmSync(numbered(keep), { force: true });
    for (let n = keep - 1; n >= 1; n--) {
      if (existsSync(numbered(n))) {
        renameSync(numbered(n), numbered(n + 1));
      }
    }
    renameSync(path, numbered(1));
  }
  return {
    path,
    write(level, message) {
      try {
        rotateIfFull();
        // One line per entry: a message's own line breaks cannot forge another entry.
        appendFileSync(path, `${new Date().toISOString()} ${level} ${message.replace(/[\r\n]+/g, ' ')}\n`);
      } catch {
        // Logging never takes the app down.
      }
    },
  };
}
