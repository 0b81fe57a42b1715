import { AllowEnrolment, AuthService, MfaService, OperatorsService, Public, Roles, type AuthenticatedRequest, type RequestContext } from '@coinops/access';
import { ALL_ROLES } from '@coinops/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { UuidParam } from '../infrastructure/validation';
import { ChangePasswordDto, LoginDto, MfaDto, TotpCodeDto } from './auth.dto';

/** Where the request came from: the audit row's request id and the session list's IP and browser. */
function contextOf(request: Request): RequestContext {
  const agent = request.headers['user-agent'];
  return { requestId: request.id ? String(request.id) : null, ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent : null };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly operators: OperatorsService,
    private readonly mfa: MfaService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public('exchanges credentials for a token')
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @ApiOperation({ summary: 'Sign in', description: 'A token, or `{mfa_required, mfa_token}` when the operator has a second factor (then POST /api/auth/mfa).' })
  login(@Body() body: LoginDto, @Req() request: Request) {
    return this.auth.login(body.email, body.password, contextOf(request));
  }

  @Post('mfa')
  @HttpCode(200)
  @Public('second step of signing in: the password step already proved who is calling')
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @ApiOperation({ summary: 'Complete a sign-in with a TOTP code' })
  completeMfa(@Body() body: MfaDto, @Req() request: Request) {
    return this.auth.completeMfa(body.mfa_token, body.code, contextOf(request));
  }

  @Get('me')
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @AllowEnrolment()
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

  @Get('sessions')
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The caller's live sessions, the current one marked" })
  sessions(@Req() request: AuthenticatedRequest) {
    return this.auth.sessions(request.operator!);
  }

  @Delete('sessions/:id')
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "End one of the caller's sessions" })
  async revokeSession(@Req() request: AuthenticatedRequest, @Param('id', UuidParam) id: string) {
    await this.auth.signOut(request.operator!, id, contextOf(request).requestId);
    return { revoked: 1 };
  }

  @Post('sessions/revoke-all')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @AllowEnrolment()
  @ApiOperation({ summary: "End every session of the caller, this one included" })
  revokeAll(@Req() request: AuthenticatedRequest) {
    return this.auth.signOutEverywhere(request.operator!, contextOf(request).requestId);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @AllowEnrolment()
  async logout(@Req() request: AuthenticatedRequest) {
    await this.auth.signOut(request.operator!, request.operator!.sessionId, contextOf(request).requestId);
    return { revoked: 1 };
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Change your own password (the other sessions end)' })
  changePassword(@Req() request: AuthenticatedRequest, @Body() body: ChangePasswordDto) {
    return this.auth.changePassword(request.operator!, body.current_password, body.new_password, contextOf(request).requestId);
  }

  @Get('totp')
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @AllowEnrolment()
  @ApiOperation({ summary: "The caller's second factor: enabled, required by the role, enrolment pending" })
  totpStatus(@Req() request: AuthenticatedRequest) {
    return this.mfa.status(request.operator!);
  }

  @Post('totp/enrol')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @AllowEnrolment()
  @ApiOperation({ summary: 'Start TOTP enrolment: a QR code (data URL) and the secret, shown once' })
  enrol(@Req() request: AuthenticatedRequest) {
    return this.mfa.enrol(request.operator!, contextOf(request).requestId);
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @AllowEnrolment()
  @ApiOperation({ summary: 'Confirm enrolment with the first code; answers a new full token (other sessions end)' })
  confirm(@Req() request: AuthenticatedRequest, @Body() body: TotpCodeDto) {
    return this.mfa.confirm(request.operator!, body.code, contextOf(request));
  }

  @Post('totp/disable')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Remove your second factor with a current code (refused where the role requires one)' })
  disable(@Req() request: AuthenticatedRequest, @Body() body: TotpCodeDto) {
    return this.mfa.disable(request.operator!, body.code, contextOf(request).requestId);
  }
}
