import { Roles, type Actor } from '@coinops/access';
import { exportUserData } from '@coinops/economy';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentActor } from '../infrastructure/actor';
import { PlatformIdParam } from './platform-id.param';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UserExportController {
  constructor(private readonly dataSource: DataSource) {}

  /** A data-access request: everything stored about one user, as one JSON document (admin only, audited). */
  @Get(':id/export')
  @Roles('admin')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Export everything stored about a user (JSON), for a data-access request; audited' })
  async export(@CurrentActor() actor: Actor, @Param('id', PlatformIdParam) id: string, @Res({ passthrough: true }) response: Response) {
    const result = await exportUserData(this.dataSource, actor, id);
    response.setHeader('Content-Disposition', `attachment; filename="user-${id}-export.json"`);
    return result;
  }
}
