import { useState } from 'react';
import type { ReactElement } from 'react';
import type { ResolvedLayout } from '../../../../shared/hanging/layout.ts';
import { protocolFromLayout } from '../../../../shared/hanging/user-protocols.ts';
import { api } from '../../api/api.ts';
import { protocolIdOf } from './hanging-layout.ts';

/** "Save arrangement as protocol": the stage on screen becomes a user protocol with semantic selectors. */
export function SaveArrangement({ layout }: { layout: ResolvedLayout }): ReactElement {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const save = (): void => {
    const trimmed = name.trim();
    const protocol = protocolFromLayout(layout, { id: protocolIdOf(trimmed), name: trimmed });
    api.saveProtocol({ protocol }).then(
      (saved) => {
        setNote({ ok: true, text: `Saved as "${saved.protocol.name}"` });
        setOpen(false);
        setName('');
      },
      (error: unknown) => setNote({ ok: false, text: error instanceof Error ? error.message : String(error) }),
    );
  };

  if (!open) {
    return (
      <span className="save-arrangement">
        <button type="button" onClick={() => { setOpen(true); setNote(null); }}>Save arrangement as protocol</button>
        {note && <span className={note.ok ? 'muted' : 'error'} role="status">{note.text}</span>}
      </span>
    );
  }
  return (
    <form className="save-arrangement" onSubmit={(event) => { event.preventDefault(); save(); }}>
      <input
        aria-label="Protocol name"
        placeholder="Protocol name"
        maxLength={200}
        value={name}
        autoFocus
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => event.stopPropagation()}
      />
      <button type="submit" disabled={protocolIdOf(name) === 'user'}>Save</button>
      <button type="button" onClick={() => setOpen(false)}>Cancel</button>
    </form>
  );
}
