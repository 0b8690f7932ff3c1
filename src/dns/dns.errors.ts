import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum DnsErrorCode {
  InvalidAddress = 'invalid-address',
  InvalidHostname = 'invalid-hostname',
  NotYourSubscription = 'not-your-subscription',
  AddressNotHeld = 'address-not-held',
  NoReverseName = 'no-reverse-name',
  ZoneNotFound = 'zone-not-found',
  NameserversNotConfigured = 'nameservers-not-configured',
}

export class DnsError extends DomainError<DnsErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case DnsErrorCode.InvalidAddress:
      case DnsErrorCode.InvalidHostname:
        return 'invalid';
      case DnsErrorCode.NotYourSubscription:
        return 'forbidden';
      case DnsErrorCode.NoReverseName:
      case DnsErrorCode.ZoneNotFound:
        return 'not-found';
      case DnsErrorCode.AddressNotHeld:
      case DnsErrorCode.NameserversNotConfigured:
        return 'conflict';
      default:
        return assertUnreachable(this.code);
    }
  }
}

/** A 400 naming the offending field, shaped like a validation problem. */
export function invalidField(code: DnsErrorCode.InvalidAddress | DnsErrorCode.InvalidHostname, path: string, message: string): DnsError {
  return new DnsError(code, message, { errors: [{ path, message }] });
}
