export { formatReport, runVectorDocument, type ConfigReport } from './runVectors';
export { runPbufConfig } from './pbufVectors';
