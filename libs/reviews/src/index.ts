export * from './recharge-reviews';
export * from './sla';
