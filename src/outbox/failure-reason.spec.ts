import { failureReason } from './failure-reason';
import { TransportError } from './transport';

describe('failureReason', () => {
  it('keeps the reason a transport gave', () => {
    expect(failureReason(new TransportError('HTTP 503'))).toBe('HTTP 503');
  });

  it('keeps a system error code, never the message that may quote an address', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:8080 for +32470123456'), { code: 'ECONNREFUSED' });
    expect(failureReason(error)).toBe('ECONNREFUSED');
  });

  it('looks into the cause of a fetch failure', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND sms.example'), { code: 'ENOTFOUND' });
    expect(failureReason(new TypeError('fetch failed', { cause }))).toBe('ENOTFOUND');
  });

  it('names only the class of an error without a code', () => {
    expect(failureReason(new RangeError('jane@example.org is not valid'))).toBe('RangeError');
    expect(failureReason('jane@example.org')).toBe('unknown error');
  });
});
