import { useCallback, useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { HangingPreferences, HangingProtocol } from '../../../../shared/hanging/protocol.ts';
import { api } from '../../api/api.ts';
import { moved } from './hanging-layout.ts';
import './hanging.css';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A protocol's stage ids in the reader's order: the saved order first, then any stage it does not name. */
function stageOrderOf(protocol: HangingProtocol, preferences: HangingPreferences): string[] {
  const saved = (preferences.stageOrder[protocol.id] ?? []).filter((id) => protocol.stages.some((stage) => stage.id === id));
  return [...saved, ...protocol.stages.map((stage) => stage.id).filter((id) => !saved.includes(id))];
}

function UserProtocolRow({ protocol, index, count, onRename, onMove, onDelete }: {
  protocol: HangingProtocol;
  index: number;
  count: number;
  onRename(name: string): void;
  onMove(delta: -1 | 1): void;
  onDelete(): void;
}): ReactElement {
  const [name, setName] = useState(protocol.name);
  return (
    <li className="protocol-row" data-protocol-id={protocol.id}>
      <input aria-label={`Name of ${protocol.id}`} value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
      <button type="button" disabled={!name.trim() || name === protocol.name} onClick={() => onRename(name.trim())}>Rename</button>
      <button type="button" aria-label="Move up" disabled={index === 0} onClick={() => onMove(-1)}>↑</button>
      <button type="button" aria-label="Move down" disabled={index === count - 1} onClick={() => onMove(1)}>↓</button>
      <button type="button" onClick={onDelete}>Delete</button>
      <span className="muted">{protocol.stages.length} stage{protocol.stages.length === 1 ? '' : 's'}</span>
    </li>
  );
}

/** The reader's hanging protocols (rename, reorder, delete) and hanging preferences (stage order, overview). */
export function ProtocolsPage({ onBack }: { onBack(): void }): ReactElement {
  const [protocols, setProtocols] = useState<HangingProtocol[] | null>(null);
  const [preferences, setPreferences] = useState<HangingPreferences | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    api.listProtocols({}).then(
      (listed) => {
        setProtocols(listed.protocols);
        setPreferences(listed.preferences);
      },
      (e: unknown) => setError(message(e)),
    );
  }, []);
  useEffect(reload, [reload]);

  const run = (work: Promise<unknown>): void => {
    setError(null);
    work.then(reload, (e: unknown) => setError(message(e)));
  };
  const savePreferences = (next: HangingPreferences): void => {
    setPreferences(next);
    run(api.setHangingPreferences({ preferences: next }));
  };

  if (!protocols || !preferences) {
    return error ? <p className="error" role="alert">{error}</p> : <p className="note">Loading protocols…</p>;
  }
  const user = protocols.filter((protocol) => protocol.level === 'user');
  return (
    <div className="panel protocols-page">
      <button type="button" onClick={onBack}>← Back</button>
      <h2>Hanging protocols</h2>
      {error && <p className="error" role="alert">{error}</p>}
      <section aria-label="Preferences">
        <h3>Mammography overview</h3>
        <label>
          Pair order{' '}
          <select
            aria-label="Overview pair order"
            value={preferences.mammoOverviewOrder}
            onChange={(event) => savePreferences({ ...preferences, mammoOverviewOrder: event.target.value === 'cc-first' ? 'cc-first' : 'mlo-first' })}
          >
            <option value="mlo-first">MLO pair first</option>
            <option value="cc-first">CC pair first</option>
          </select>
        </label>{' '}
        <label>
          Prior row{' '}
          <select
            aria-label="Prior row"
            value={preferences.priorRow}
            onChange={(event) => savePreferences({ ...preferences, priorRow: event.target.value === 'bottom' ? 'bottom' : 'top' })}
          >
            <option value="top">On top</option>
            <option value="bottom">At the bottom</option>
          </select>
        </label>
      </section>
      <section aria-label="Your protocols">
        <h3>Your protocols</h3>
        {user.length === 0 && <p className="note">None yet: hang a study, arrange it, and save the arrangement as a protocol.</p>}
        <ol className="protocol-list">
          {user.map((protocol, index) => (
            <UserProtocolRow
              key={`${protocol.id}:${protocol.name}`}
              protocol={protocol}
              index={index}
              count={user.length}
              onRename={(name) => run(api.saveProtocol({ protocol: { ...protocol, name } }))}
              onMove={(delta) => run(api.reorderProtocols({ ids: moved(user, index, delta).map((p) => p.id) }))}
              onDelete={() => run(api.deleteProtocol({ id: protocol.id }))}
            />
          ))}
        </ol>
      </section>
      <section aria-label="Stage order">
        <h3>Stage order (the keyboard steps through stages in this order)</h3>
        {protocols.map((protocol) => {
          const order = stageOrderOf(protocol, preferences);
          return (
            <details key={protocol.id} data-protocol-id={protocol.id}>
              <summary>{protocol.name} <span className="muted">({protocol.level})</span></summary>
              <ol className="stage-order">
                {order.map((stageId, index) => (
                  <li key={stageId} data-stage-id={stageId}>
                    <span>{protocol.stages.find((stage) => stage.id === stageId)?.name ?? stageId}</span>{' '}
                    <button
                      type="button"
                      aria-label="Earlier"
                      disabled={index === 0}
                      onClick={() => savePreferences({ ...preferences, stageOrder: { ...preferences.stageOrder, [protocol.id]: moved(order, index, -1) } })}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      aria-label="Later"
                      disabled={index === order.length - 1}
                      onClick={() => savePreferences({ ...preferences, stageOrder: { ...preferences.stageOrder, [protocol.id]: moved(order, index, 1) } })}
                    >
                      ↓
                    </button>
                  </li>
                ))}
              </ol>
            </details>
          );
        })}
      </section>
    </div>
  );
}
