import { CONFIG, type Config } from '@coinops/config';
import { StripeProvider, STRIPE_TOLERANCE_SECONDS } from '@coinops/payments';
import { Module } from '@nestjs/common';
import { StripeWebhooksController } from './stripe-webhooks.controller';
import { STRIPE_WEBHOOK_PROVIDER } from './webhooks.tokens';

/** Provider webhooks: one controller per provider, each verifying with its adapter from @coinops/payments. */
@Module({
  controllers: [StripeWebhooksController],
  providers: [
    {
      provide: STRIPE_WEBHOOK_PROVIDER,
      inject: [CONFIG],
      useFactory: (config: Config) => new StripeProvider({ webhookSecret: config.STRIPE_WEBHOOK_SECRET, toleranceSeconds: STRIPE_TOLERANCE_SECONDS }),
    },
  ],
})
export class WebhooksModule {}
