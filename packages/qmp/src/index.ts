export * from './protocol.js';
export { QmpServer, QmpCommandError, type QmpHandler, type QmpServerOptions } from './server.js';
export { QmpClient, qmpCommandFailed } from './client.js';
