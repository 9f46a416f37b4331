/** Node-only downloads: an object into a file by parallel ranged GETs, resumable. */
export { downloadFile, type DownloadApi, type DownloadEnv, type DownloadFileInput, type DownloadFileOutput } from './download-file.node.js';
