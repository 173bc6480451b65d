import type { FastifyReply } from 'fastify';
import type { CommandResult } from '../commands/command-metadata.js';

export interface CreatedBody {
  id: string;
  /** The stream's revision after the command: send it back as If-Match. */
  revision: number;
  /** `$all` position of the command's last event: pass as `minPosition` to read your write. */
  position: number;
}

export function created(reply: FastifyReply, result: CommandResult): CreatedBody {
  void reply.header('etag', `"${result.revision}"`);
  return { id: result.id, revision: Number(result.revision), position: Number(result.position) };
}
