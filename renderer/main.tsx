import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/client';
import { App } from './app/App';
import { ApiProvider } from './app/api-context';
import { ViewBoundary } from './app/ViewBoundary';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ApiProvider api={api}>
      <ViewBoundary label="Berth">
        <App />
      </ViewBoundary>
    </ApiProvider>
  </StrictMode>,
);
