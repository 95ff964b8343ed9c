import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity } from '@nestjs/swagger';
import { type RequestWithPrincipal, Roles } from './access.guard';
import { ROLES } from './credential.entity';

/** What the console (or any client) shows its user: the key's role and whose it is. */
export class WhoAmI {
  role: string;
  label: string;
  system?: string;
}

const WHO_AM_I_SCHEMA = {
  type: 'object',
  required: ['role', 'label'],
  properties: {
    role: { type: 'string', enum: [...ROLES] as string[] },
    label: { type: 'string' },
    system: { type: 'string' },
  },
};

@Controller('access')
@Roles(...ROLES)
export class MeController {
  /** The role and label of the credential sent; 401 when it is missing or refused. */
  @Get('me')
  @ApiSecurity('api-key')
  @ApiOkResponse({ description: 'The caller’s role and label.', schema: WHO_AM_I_SCHEMA })
  me(@Req() req: RequestWithPrincipal): WhoAmI {
    const p = req.principal!;
    return { role: p.role, label: p.label, ...(p.system ? { system: p.system } : {}) };
  }
}
