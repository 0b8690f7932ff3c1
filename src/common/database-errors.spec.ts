import { isDatabaseUnavailable } from './database-errors';

const withCode = (code: string) => Object.assign(new Error('x'), { code });
const queryFailed = (driverError: object) => Object.assign(new Error('wrapped'), { driverError });

describe('isDatabaseUnavailable', () => {
  it.each(['57P01', '57P03', '57014', '08006', '08001', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'])('counts %s as the database being away', (code) => {
    expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    expect(isDatabaseUnavailable(queryFailed({ code }))).toBe(true);
  });

  it.each(['Connection terminated unexpectedly', 'Connection terminated due to connection timeout', 'timeout expired', 'timeout exceeded when trying to connect', 'Query read timeout'])(
    'counts pg reporting "%s" as the database being away',
    (message) => {
      expect(isDatabaseUnavailable(new Error(message))).toBe(true);
      expect(isDatabaseUnavailable(queryFailed(new Error(message)))).toBe(true);
    },
  );

  it('counts a refused connection to every address of a host', () => {
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true);
  });

  it.each(['23505', '23P01', '40P01', '22P02', '42P01'])('leaves %s, an error of the request or the code, to the other mappings', (code) => {
    expect(isDatabaseUnavailable(queryFailed({ code }))).toBe(false);
  });

  it('leaves an ordinary bug alone', () => {
    expect(isDatabaseUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
