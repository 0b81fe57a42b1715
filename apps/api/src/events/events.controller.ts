import { Public } from '@coinops/access';
import { CONFIG, type Config } from '@coinops/config';
import { parsePlatformEvent, PlatformEventsService, SIGNATURE_HEADER, verifySignature } from '@coinops/economy';
import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { RawBodyRequest } from '../app.factory';

/**
 * The platform backend's signed events (DESIGN §7). The signature is checked on the raw bytes before
 * anything is parsed or stored; each event id acts once and is always answered the same.
 */
@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly events: PlatformEventsService,
  ) {}

  @Post()
  @Public('authenticated by the Coinops-Signature HMAC')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a platform event',
    description:
      '200: acted on (user.*, creator.*, gift.sent); 202: stored for a later flow (recharge.succeeded, payout.*, account.security_changed); ' +
      '400: bad or stale signature, or invalid data (nothing stored); 409: not enough coins (body has `available`), frozen sender, or the id reused with another body. ' +
      'A replayed id gets the first answer again, with `Idempotent-Replayed: true`.',
  })
  @ApiHeader({ name: SIGNATURE_HEADER, required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with EVENTS_SECRET>' })
  @ApiBody({ schema: { type: 'object', required: ['id', 'type', 'occurred_at', 'data'], example: { id: 'evt_1', type: 'gift.sent', occurred_at: '2026-01-01T00:00:00Z', data: { gift_id: 'g_1', sender_id: 'u_1', creator_id: 'c_1', coins: 10 } } } })
  async receive(@Req() request: RawBodyRequest, @Res({ passthrough: true }) response: Response) {
    verifySignature(request.headers[SIGNATURE_HEADER.toLowerCase()], request.rawBody, this.config.EVENTS_SECRET);
    const reply = await this.events.receive(parsePlatformEvent(request.body));
    response.status(reply.status);
    if (reply.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return reply.body;
  }
}
