import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { exposeDiagnostics } from './imaging/diagnostics.ts';
import './styles.css';

const container = document.getElementById('root');
if (!container) {
  throw new Error('missing #root');
}
exposeDiagnostics();
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
