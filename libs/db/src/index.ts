export * from './admin';
export * from './data-source';
export * from './listing/list-query';
export { migrations } from './migrations';
