import { AuthService, OperatorsService, Public, Roles, type AuthenticatedRequest } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { RequestId } from '../infrastructure/actor';
import { LoginDto } from './auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly operators: OperatorsService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public('exchanges credentials for a token')
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  login(@Body() body: LoginDto, @RequestId() requestId: string | null) {
    return this.auth.login(body.email, body.password, requestId);
  }

  @Get('me')
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  me(@Req() request: AuthenticatedRequest) {
    return this.operators.get(request.operator!.id);
  }

  /** The caller's notifications, written by the worker from outbox jobs (newest first). */
  @Get('notifications')
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  notifications(@Req() request: AuthenticatedRequest) {
    return this.operators.notifications(request.operator!.id);
  }
}
