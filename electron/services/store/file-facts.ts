import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** A file's size, or null where it does not exist; any other failure is thrown. */
export function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

/** Makes the renames in a folder durable. */
export async function syncDirectory(path: string): Promise<void> {
  // Directory fsync makes renames durable on Linux; Windows refuses to open a directory.
  if (process.platform === 'win32') {
    return;
  }
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
