import type { ReactElement } from 'react';

export function App(): ReactElement {
  return (
    <main className="app">
      <h1>Concord</h1>
    </main>
  );
}
