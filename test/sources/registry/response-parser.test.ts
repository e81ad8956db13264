import { describe, expect, test } from 'vitest';
import { HEAD_LIMIT, HttpParseError, ResponseParser } from '../../../src/sources/registry/response-parser.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

/** Parses `wire` pushed in pieces cut at `cuts`; the head and the body (copied as it comes). */
function parse(wire: Buffer, cuts: number[] = [], close = false) {
  const parser = new ResponseParser();
  const body: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, wire.length]) {
    const views: Uint8Array[] = [];
    parser.push(wire.subarray(from, cut), views);
    for (const view of views) body.push(Buffer.from(view));
    from = cut;
  }
  if (close) parser.end();
  return { head: parser.head, done: parser.done, body: Buffer.concat(body).toString('latin1') };
}

/** The same response cut at every single byte position gives the same result. */
function everySplit(wire: Buffer, close = false) {
  const whole = parse(wire, [], close);
  for (let cut = 1; cut < wire.length; cut++) expect(parse(wire, [cut], close), `cut at ${cut}`).toEqual(whole);
  expect(parse(wire, Array.from({ length: wire.length - 1 }, (_, i) => i + 1), close)).toEqual(whole);
  return whole;
}

function failure(wire: string, close = false): HttpParseError {
  try {
    parse(bytes(wire), [], close);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpParseError);
    return error as HttpParseError;
  }
  throw new Error('no error');
}

describe('ResponseParser', () => {
  test('Content-Length: head, body, done, whatever the cuts', () => {
    const result = everySplit(bytes('HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-A: 1\r\nx-a:  2 \r\nDocker-Content-Digest: sha256:ab\r\n\r\nhello world'));
    expect(result).toEqual({
      head: { status: 200, statusMessage: 'OK', http11: true, headers: { 'content-length': '11', 'x-a': '1, 2', 'docker-content-digest': 'sha256:ab' } },
      done: true,
      body: 'hello world',
    });
  });

  test('chunked: sizes with extensions, CRLFs and trailers are framing, not body', () => {
    const wire = bytes('HTTP/1.1 206 Partial Content\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5;name=x\r\nhello\r\n1\r\n \r\nA \r\n0123456789\r\n0\r\nDigest: y\r\n\r\n');
    const result = everySplit(wire);
    expect(result.head?.status).toBe(206);
    expect(result.body).toBe('hello 0123456789');
    expect(result.done).toBe(true);
  });

  test('no length: the body runs to the close', () => {
    const result = everySplit(bytes('HTTP/1.0 200 OK\r\nServer: old\r\n\r\nall of this'), true);
    expect(result).toMatchObject({ done: true, body: 'all of this' });
    const open = parse(bytes('HTTP/1.1 200 OK\r\n\r\npart'));
    expect(open.done).toBe(false);
  });

  test('1xx answers are skipped; 204 and Content-Length: 0 have no body; bytes after the body are dropped', () => {
    expect(parse(bytes('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'))).toMatchObject({ head: { status: 200 }, body: 'ok', done: true });
    expect(parse(bytes('HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n'))).toMatchObject({ head: { status: 204 }, body: '', done: true });
    expect(parse(bytes('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'))).toMatchObject({ head: { status: 404, statusMessage: 'Not Found' }, body: '', done: true });
    expect(parse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA'))).toMatchObject({ body: 'ok', done: true });
  });

  test('a response cut short is a premature close (worth resuming); before any head too', () => {
    expect(failure('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', true).code).toBe('ERR_STREAM_PREMATURE_CLOSE');
    expect(failure('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', true).code).toBe('ERR_STREAM_PREMATURE_CLOSE');
    expect(failure('HTTP/1.1 200 OK\r\nContent-Le', true)).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE', message: 'the connection closed before a response' });
  });

  test('malformed responses are refused', () => {
    expect(failure('SSH-2.0-OpenSSH_9.2\r\n\r\n').message).toMatch(/not an HTTP\/1.1 status line/);
    expect(failure('HTTP/2 200\r\n\r\n').code).toBe('HPE_INVALID_RESPONSE');
    expect(failure('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n').message).toMatch(/invalid header line/);
    expect(failure('HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n').message).toMatch(/invalid Content-Length/);
    expect(failure('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n').message).toMatch(/invalid Content-Length/);
    expect(failure('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n').message).toMatch(/invalid chunk size/);
    expect(failure('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY\r\n').message).toMatch(/not followed by CRLF/);
    expect(failure(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(HEAD_LIMIT)}`).message).toMatch(/head is over/);
    expect(failure(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1'.repeat(5000)}`).message).toMatch(/chunk line is too long/);
  });

  test('keep-alive: HTTP/1.1 with a framed body, unless the server says close', () => {
    const keepAlive = (wire: string) => {
      const parser = new ResponseParser();
      parser.push(bytes(wire), []);
      return parser.keepAlive;
    };
    expect(keepAlive('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')).toBe(true);
    expect(keepAlive('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')).toBe(true);
    expect(keepAlive('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive, Close\r\n\r\n')).toBe(false);
    expect(keepAlive('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')).toBe(false);
    expect(keepAlive('HTTP/1.1 200 OK\r\n\r\nto the close')).toBe(false);
    expect(keepAlive('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK')).toBe(false);
  });

  test('body chunks are views into the bytes pushed, not copies', () => {
    const wire = bytes('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody');
    const views: Uint8Array[] = [];
    new ResponseParser().push(wire, views);
    expect(views).toHaveLength(1);
    expect(views[0]!.buffer).toBe(wire.buffer);
  });
});
