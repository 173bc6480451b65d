import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './error-body.js';

/**
 * Errors Fastify answers itself before any route (and so before Nest's
 * exception filter) runs, in the ledger's `{code, message, details}` shape:
 * the `frameworkErrors` option of the Fastify server.
 */
export function frameworkErrors(maxParamLength: number) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const [status, body] = frameworkErrorResponse(error, maxParamLength);
    void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
  };
}

function frameworkErrorResponse(error: FastifyError, maxParamLength: number): [number, ErrorBody] {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return [
        400,
        body('bad_url', 'The URL is not valid (a malformed percent-encoding, such as a lone %)'),
      ];
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return [
        414,
        body('param_too_long', `A path parameter is longer than ${maxParamLength} characters`, {
          maxLength: maxParamLength,
        }),
      ];
    default:
      return [
        500,
        body('internal_error', 'Something went wrong on our side; nothing was recorded'),
      ];
  }
}

/**
 * Requests Node's HTTP parser could not read (headers too large, a malformed
 * request line, a timeout): a complete response in the ledger's shape with
 * `Connection: close`, then the socket is closed, so that a keep-alive client
 * knows not to send its next request down it. The `clientErrorHandler` option.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, errorBody] = clientErrorResponse(error);
  const text = JSON.stringify(errorBody);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      'Connection: close\r\n\r\n' +
      // An answer to HEAD has no body (RFC 9110 §9.3.2): a client reads one as garbage.
      (isHead(error) ? '' : text),
    () => socket.destroy(),
  );
}

/**
 * Whether the unreadable request is a HEAD, as far as the bytes the parser
 * failed on tell (`rawPacket`: the chunk being parsed, which starts with the
 * request line unless the request came in several chunks).
 */
function isHead(error: NodeJS.ErrnoException): boolean {
  const raw = (error as { rawPacket?: unknown }).rawPacket;
  return Buffer.isBuffer(raw) && raw.subarray(0, 5).toString('latin1') === 'HEAD ';
}

function clientErrorResponse(error: NodeJS.ErrnoException): [number, ErrorBody] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, body('headers_too_large', 'The request headers are too large')];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, body('request_timeout', 'The request did not arrive in time')];
    default:
      return [400, body('malformed_request', 'The request could not be read as HTTP')];
  }
}

function body(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { code, message, details };
}
