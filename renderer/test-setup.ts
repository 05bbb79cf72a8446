import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  window.location.hash = '';
  window.sessionStorage.clear();
});

// jsdom does no layout, so every element measures 0×0 and a virtualised list would show nothing.
// Give elements a viewport-sized box so the virtual log list renders the first screenful.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {};
