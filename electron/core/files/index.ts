export { copyOut, type Download, openDownload, uploadFile } from './container-transfers';
export { DOWNLOAD_PATH, UPLOAD_PATH } from './file-transfers';
export { listArchive, listFolder } from './folder-listing';
export { parsePathStat, statPath } from './path-stat';
export { COPY_OUT_LIMITS, extractArchive } from './safe-extract';
