import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// How long findBy*/waitFor wait for the screen to show something. The library's 1 s is a speed claim: under
// `npm test` the renderer tests share two cores with the engine lanes, and a 1 s wait failed there. A test
// that waits for something that never comes still fails, after this generous, named deadline.
const SCREEN_DEADLINE_MS = 15_000;
configure({ asyncUtilTimeout: SCREEN_DEADLINE_MS });

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
