import { describe, expect, it } from 'vitest';
import { waitReason } from '../../src/cli/import-command.js';

describe('import: what a failing write waits for', () => {
  it('names the transport failure in a few words, as the transport words it', () => {
    expect(waitReason({ status: 0, error: 'write to http://localhost:8086 timed out: no answer within 60s (--timeout)' })).toBe('no answer within 60s');
    expect(waitReason({ status: 0, error: 'write to http://localhost:8086 timed out: no answer within 2.5s (--timeout)' })).toBe('no answer within 2.5s');
    expect(waitReason({ status: 0, error: 'Failed to connect to http://localhost:8086: connection refused' })).toBe('connection refused');
    expect(waitReason({ status: 0, error: 'the connection was reset' })).toBe('connection reset');
  });
  it('gives the status and the start of the server text', () => {
    expect(waitReason({ status: 503, error: 'service\nunavailable' })).toBe('status 503: service | unavailable');
  });
});
