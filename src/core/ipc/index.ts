export * from './ipcService';
export * from './types';
