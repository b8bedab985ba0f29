export * from './views.js';
export * from './errors.js';
export * from './events.js';
export type { CreateStationBody, BindScannerBody, PostScanBody, ScansQuery } from './http.js';
