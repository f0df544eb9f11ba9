export * from './actions';
export * from './burn';
export * from './fields';
export * from './limits';
export * from './names';
export * from './responses';
export * from './retry-after';
