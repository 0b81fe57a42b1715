/** The economy configuration read from the database at start-up (`EconomyConfig` of @coinops/economy). */
export const ECONOMY_CONFIG = Symbol('ECONOMY_CONFIG');
