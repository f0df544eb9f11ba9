export * from './actions';
export * from './fields';
export * from './limits';
export * from './responses';
