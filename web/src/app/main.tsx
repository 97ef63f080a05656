import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app';

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no element with id "root" to mount the app in');
}

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
