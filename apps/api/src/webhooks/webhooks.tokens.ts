/** The provider the Stripe endpoint verifies with. The API never calls providers (DESIGN §1): no API key here. */
export const STRIPE_WEBHOOK_PROVIDER = Symbol('STRIPE_WEBHOOK_PROVIDER');
