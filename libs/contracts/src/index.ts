export * from './access/roles';
export * from './domain-errors';
export * from './errors';
export * from './resources';
