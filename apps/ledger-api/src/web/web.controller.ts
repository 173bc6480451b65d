import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ref } from '../http/openapi/schemas.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { ApiError } from '../http/errors/error-body.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Public, READERS, Roles } from '../security/roles.js';

/** The repository's web/ folder, found from source (tests) and from dist/ alike. */
function webRoot(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'web', 'index.html'))) return join(dir, 'web');
  }
  throw new Error('web/index.html not found beside the app');
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Every asset of the page (its ES modules, styles and icon) by its path under
 * web/, read once at start: a request can only name a file that was there, so
 * no path from the address ever reaches the file system.
 */
function readAssets(root: string): Map<string, { type: string; body: string }> {
  const assets = new Map<string, { type: string; body: string }>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      const type = TYPES[extname(entry.name)];
      if (entry.isFile() && type)
        assets.set(relative(root, path).split(sep).join('/'), {
          type,
          body: readFileSync(path, 'utf8'),
        });
    }
  };
  walk(root);
  return assets;
}

/**
 * The evaluator and auditor page: static files, read once at start. The page
 * is public; everything it shows comes from the API with the reader's key.
 */
@ApiExcludeController()
@Controller()
export class WebController {
  private readonly root = webRoot();
  private readonly html = readFileSync(join(this.root, 'index.html'), 'utf8');
  private readonly assets = readAssets(this.root);

  @Get()
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return this.html;
  }

  /** A file of web/ (app.js, styles.css, favicon.svg). */
  @Get('assets/:file')
  @Public()
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    this.send(file, reply);
  }

  /** A module one folder down (views/governance.js, charts/gantt.js). */
  @Get('assets/:dir/:file')
  @Public()
  nested(@Param('dir') dir: string, @Param('file') file: string, @Res() reply: FastifyReply): void {
    this.send(`${dir}/${file}`, reply);
  }

  private send(path: string, reply: FastifyReply): void {
    const asset = this.assets.get(path);
    if (!asset) throw new ApiError(404, 'asset_not_found', `No page asset ${path}`);
    void reply.header('content-type', asset.type).send(asset.body);
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
