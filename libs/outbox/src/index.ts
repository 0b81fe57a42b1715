export * from './connection';
export * from './jobs';
export * from './outbox';
export * from './relayer';
