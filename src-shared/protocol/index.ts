export * from './actions';
export * from './fields';
export * from './limits';
export * from './names';
export * from './responses';
export * from './retry-after';
export * from './room-clock';
