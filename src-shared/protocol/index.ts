export * from './actions';
export * from './fields';
export * from './limits';
export * from './key-handover';
export * from './member-keys';
export * from './names';
export * from './responses';
export * from './retry-after';
