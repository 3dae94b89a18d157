export { testDriver } from './factory.js';
export { TEST_DOMAIN_OPTIONS } from './options.js';
