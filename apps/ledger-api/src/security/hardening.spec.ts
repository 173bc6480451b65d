import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { helmetHeaders } from './hardening.js';

describe('helmetHeaders', () => {
  it('is exactly the set of headers helmet puts on a response with the same options', () => {
    const options = {
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] },
      },
    };
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    let called = false;
    helmet(options)(request, response, () => {
      called = true;
    });
    expect(called).toBe(true);
    const expected = Object.fromEntries(
      Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]),
    );
    expect(helmetHeaders(options)).toEqual(expected);
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(['content-security-policy', 'strict-transport-security']),
    );
  });
});
