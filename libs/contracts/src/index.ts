export * from './access/roles';
export * from './domain-errors';
export * from './errors';
export * from './resources';
export * from './state-machines/review';
export * from './state-machines/state-machine';
