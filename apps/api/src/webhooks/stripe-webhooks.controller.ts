import { Public } from '@coinops/access';
import { STRIPE_SIGNATURE_HEADER, STRIPE_TOLERANCE_SECONDS, WebhookIntake, type PaymentProvider } from '@coinops/payments';
import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { RawBodyRequest } from '../app.factory';
import { STRIPE_WEBHOOK_PROVIDER } from './webhooks.tokens';

/**
 * Stripe's webhooks (docs/payments.md). The signature is checked on the raw bytes before anything is
 * read or stored; each Stripe event id is stored once and always answered 200.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class StripeWebhooksController {
  /** Charges arriving together are stored by one statement (group commit); other events one by one. */
  private readonly intake: WebhookIntake;

  constructor(
    @Inject(STRIPE_WEBHOOK_PROVIDER) private readonly stripe: PaymentProvider,
    dataSource: DataSource,
  ) {
    this.intake = new WebhookIntake(dataSource);
  }

  @Post('stripe')
  @Public('authenticated by the Stripe-Signature header')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a Stripe webhook',
    description:
      `200 once the signature is good: stored (charge.succeeded → recharge, charge.refunded, charge.dispute.*, radar.early_fraud_warning.created, payout.paid|failed), ` +
      `duplicate (this event id was stored before), ignored (another type: recorded as seen, payload not kept) or unusable (kept with a problem). ` +
      `400: missing, malformed or wrong signature, or a timestamp more than ${STRIPE_TOLERANCE_SECONDS} s away; nothing is stored.`,
  })
  @ApiHeader({ name: STRIPE_SIGNATURE_HEADER, required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with STRIPE_WEBHOOK_SECRET>' })
  @ApiBody({ schema: { type: 'object', description: 'A Stripe event object, exactly as Stripe sent it' } })
  receive(@Req() request: RawBodyRequest) {
    const event = this.stripe.verifyWebhook(request.rawBody ?? Buffer.alloc(0), request.headers);
    return this.intake.receive(event);
  }
}
