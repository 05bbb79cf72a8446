/**
 * Where web mode's file transfers are served: GET a download, PUT an upload, each through a one-time link
 * (core/one-time-links.ts) the page asked for with files.downloadLink / files.uploadLink.
 */
export const DOWNLOAD_PATH = '/api/files/download/';
export const UPLOAD_PATH = '/api/files/upload/';
