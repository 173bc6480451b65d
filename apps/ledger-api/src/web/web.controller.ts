import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../http/openapi/schemas.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Public, READERS, Roles } from '../security/roles.js';

/** The repository's web/ folder, found from source (tests) and from dist/ alike. */
function webRoot(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'web', 'index.html'))) return join(dir, 'web');
  }
  throw new Error('web/index.html not found beside the app');
}

/**
 * The evaluator and auditor page: static files, read once at start. The page
 * is public; everything it shows comes from the API with the reader's key.
 */
@ApiExcludeController()
@Controller()
export class WebController {
  private readonly files = (() => {
    const root = webRoot();
    return {
      html: readFileSync(join(root, 'index.html'), 'utf8'),
      js: readFileSync(join(root, 'app.js'), 'utf8'),
      css: readFileSync(join(root, 'styles.css'), 'utf8'),
    };
  })();

  @Get()
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return this.files.html;
  }

  @Get('assets/app.js')
  @Public()
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.files.js;
  }

  @Get('assets/styles.css')
  @Public()
  @Header('content-type', 'text/css; charset=utf-8')
  styles(): string {
    return this.files.css;
  }
}

/** Who the caller is, for the page's "signed in as". */
@Controller('v1/me')
@Roles(...READERS)
export class MeController {
  @Get()
  @ApiOperation({ summary: "The caller's role" })
  @ApiOkResponse({ description: 'OK', schema: ref('Me') })
  me(@Req() request: AuthenticatedRequest) {
    return { role: request.actor ?? null };
  }
}
