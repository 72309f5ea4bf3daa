import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Secrets (PACS passwords, a later issue) by name; values never touch disk in clear text. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/**
 * What the store needs of Electron's safeStorage (the OS keychain or its equivalent). Injected, so the
 * services that will hold secrets (PACS, a later issue) depend on this interface, not on Electron.
 */
export interface StringEncryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Secrets encrypted by the OS (safeStorage in the desktop app) and kept as base64 in one JSON file.
 * Where the OS offers no encryption, storing refuses rather than writing clear text.
 */
export function createSecretStore(file: string, encryptor: StringEncryptor): SecretStore {
  const read = (): Record<string, string> => {
    if (!existsSync(file)) {
      return {};
    }
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  const write = (secrets: Record<string, string>): void => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  };
  return {
    get(name) {
      const stored = read()[name];
      return typeof stored === 'string' && encryptor.isEncryptionAvailable() ? encryptor.decryptString(Buffer.from(stored, 'base64')) : null;
    },
    set(name, value) {
      if (!encryptor.isEncryptionAvailable()) {
        throw new Error('this system offers no encryption for stored secrets, so none is stored');
      }
      write({ ...read(), [name]: encryptor.encryptString(value).toString('base64') });
    },
    delete(name) {
      const secrets = read();
      delete secrets[name];
      write(secrets);
    },
  };
}
