/**
 * Berth's icon in the built renderer (renderer/public/favicon.svg), and the path browsers ask for when a
 * page names no icon. Web mode and app:// both answer that path with the SVG, so it never 404s.
 */
export const FAVICON_FILE = 'favicon.svg';
export const FAVICON_REQUEST_PATH = '/favicon.ico';
