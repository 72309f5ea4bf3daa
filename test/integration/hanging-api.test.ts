import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibrary } from '../../electron/services/library/database.ts';
import { createWorkstation } from '../../electron/services/workstation/workstation.ts';
import type { ApiEvent } from '../../shared/api/schemas.ts';
import { DEFAULT_HANGING_PREFERENCES } from '../../shared/hanging/protocol.ts';
import type { HangingPreferences } from '../../shared/hanging/protocol.ts';
import { FACTORY_PROTOCOLS } from '../../shared/hanging/protocols/index.ts';
import { userProtocol } from '../support/hanging-protocol.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

afterAll(cleanupTempDirs);

const workerUnused = new URL('file:///no-import-worker-needed');

describe('hanging protocols through the workstation API, kept in the library', () => {
  it('creates, replaces, orders and deletes user protocols and preferences; they survive reopening; edits announce a library change', async () => {
    const root = tempDir();
    const first = createWorkstation(root, workerUnused);
    const events: ApiEvent[] = [];
    const unsubscribe = first.subscribe((event) => events.push(event));
    try {
      const factoryIds = FACTORY_PROTOCOLS.map((p) => p.id);
      expect((await first.listProtocols({})).protocols.map((p) => p.id)).toEqual(factoryIds);
      expect((await first.listProtocols({})).preferences).toEqual(DEFAULT_HANGING_PREFERENCES);

      await first.saveProtocol({ protocol: userProtocol('cc-a') });
      await first.saveProtocol({ protocol: userProtocol('cc-b') });
      await first.saveProtocol({ protocol: userProtocol('cc-c') });
      // Replacing keeps the place in the order.
      await first.saveProtocol({ protocol: userProtocol('cc-a', 'Renamed A') });
      const reordered = await first.reorderProtocols({ ids: ['cc-c', 'cc-a', 'cc-b'] });
      expect(reordered.protocols.map((p) => p.id)).toEqual([...factoryIds, 'cc-c', 'cc-a', 'cc-b']);
      await first.deleteProtocol({ id: 'cc-b' });
      const preferences: HangingPreferences = { stageOrder: { 'cc-a': ['cc-pair'] }, mammoOverviewOrder: 'cc-first', priorRow: 'bottom' };
      expect((await first.setHangingPreferences({ preferences })).preferences).toEqual(preferences);
      expect(events.filter((e) => e.type === 'library-changed')).toHaveLength(7);

      await expect(first.reorderProtocols({ ids: ['cc-a'] })).rejects.toMatchObject({ code: 'bad-request' });
      await expect(first.reorderProtocols({ ids: ['cc-a', 'cc-a'] })).rejects.toMatchObject({ code: 'bad-request' });
      await expect(first.deleteProtocol({ id: 'cc-b' })).rejects.toMatchObject({ code: 'not-found' });
      await expect(first.saveProtocol({ protocol: { ...userProtocol('cc-d'), level: 'factory' } })).rejects.toMatchObject({ code: 'bad-request' });
      // What the schema cannot say is checked too: a 1×2 grid needs two slots.
      const [stage] = userProtocol('cc-e').stages;
      const oneSlot = { ...userProtocol('cc-e'), stages: [{ ...stage, slots: stage?.slots.slice(0, 1) ?? [] }] };
      await expect(first.saveProtocol({ protocol: oneSlot as ReturnType<typeof userProtocol> })).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringContaining('grid has 2 cells but 1 slots are given'),
      });
      // A factory protocol's id is refused even where the request schema was not applied (in-process callers).
      await expect(first.saveProtocol({ protocol: userProtocol(FACTORY_PROTOCOLS[0]?.id ?? 'none') })).rejects.toMatchObject({ code: 'conflict' });
      await expect(first.getHanging({ studyInstanceUid: '1.2.3.4' })).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      unsubscribe();
      await first.close();
    }

    const again = createWorkstation(root, workerUnused);
    try {
      const listed = await again.listProtocols({});
      const users = listed.protocols.filter((p) => p.level === 'user');
      expect(users.map((p) => [p.id, p.name])).toEqual([['cc-c', "Reader's cc-c"], ['cc-a', 'Renamed A']]);
      expect(users[1]).toEqual(userProtocol('cc-a', 'Renamed A'));
      expect(listed.preferences).toMatchObject({ mammoOverviewOrder: 'cc-first', priorRow: 'bottom' });
    } finally {
      await again.close();
    }

    // A definition damaged outside Concord is reported on the way out, never handed on half-valid.
    const library = openLibrary(root);
    library.db.prepare("UPDATE hanging_protocols SET definition = json_set(definition, '$.stages', json('[]')) WHERE id = 'cc-c'").run();
    library.close();
    const damaged = createWorkstation(root, workerUnused);
    try {
      await expect(damaged.listProtocols({})).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('cc-c') });
    } finally {
      await damaged.close();
    }
  });
});

describe('hanging methods over the loopback browser host', () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startServe(tempDir());
  });
  afterAll(async () => {
    await host.stop();
  });

  const call = async (method: string, body: unknown): Promise<{ status: number; code?: string }> => {
    const response = await fetch(`${host.base}api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}`, Origin: host.origin },
      body: JSON.stringify(body),
    });
    const reply = (await response.json()) as { error?: { code: string } };
    return { status: response.status, code: reply.error?.code };
  };

  it('refuses malformed requests to every new method before they reach the library', async () => {
    const malformed: [string, unknown][] = [
      ['getHanging', { studyInstanceUid: '1.2.3', stage: 0 }],
      ['getHanging', { studyInstanceUid: 'x' }],
      ['listProtocols', { all: true }],
      ['saveProtocol', { protocol: { ...userProtocol('cc-x'), level: 'factory' } }],
      ['saveProtocol', { protocol: { ...userProtocol('cc-x'), stages: [] } }],
      ['deleteProtocol', { id: '../x' }],
      ['reorderProtocols', { ids: 'cc-x' }],
      ['setHangingPreferences', { preferences: { ...DEFAULT_HANGING_PREFERENCES, priorRow: 'left' } }],
    ];
    for (const [method, body] of malformed) {
      expect({ method, body, reply: await call(method, body) }).toEqual({ method, body, reply: { status: 400, code: 'bad-request' } });
    }
  });

  it('answers not-found for an unknown study and saves a well-formed protocol', async () => {
    expect(await call('getHanging', { studyInstanceUid: '1.2.3.4' })).toEqual({ status: 404, code: 'not-found' });
    expect(await call('saveProtocol', { protocol: userProtocol('cc-x') })).toEqual({ status: 200, code: undefined });
    expect(await call('deleteProtocol', { id: 'cc-x' })).toEqual({ status: 200, code: undefined });
  });
});
