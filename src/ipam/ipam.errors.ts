import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum IpamErrorCode {
  PoolNotFound = 'pool-not-found',
  AssignmentNotFound = 'assignment-not-found',
  InvalidPool = 'invalid-pool',
  InvalidPrefix = 'invalid-prefix',
  InvalidAddress = 'invalid-address',
  PurposeRequired = 'purpose-required',
  PoolNameTaken = 'pool-name-taken',
  PoolOverlaps = 'pool-overlaps',
  PoolExhausted = 'pool-exhausted',
  PrefixTaken = 'prefix-taken',
  PrefixInQuarantine = 'prefix-in-quarantine',
  AlreadyReleased = 'assignment-already-released',
  DateInFuture = 'date-in-future',
  BeforeSubscriptionStart = 'before-subscription-start',
  ReleaseBeforeStart = 'release-before-start',
}

export class IpamError extends DomainError<IpamErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case IpamErrorCode.PoolNotFound:
      case IpamErrorCode.AssignmentNotFound:
        return 'not-found';
      case IpamErrorCode.InvalidPool:
      case IpamErrorCode.InvalidPrefix:
      case IpamErrorCode.InvalidAddress:
      case IpamErrorCode.PurposeRequired:
        return 'invalid';
      case IpamErrorCode.PoolNameTaken:
      case IpamErrorCode.PoolOverlaps:
      case IpamErrorCode.PoolExhausted:
      case IpamErrorCode.PrefixTaken:
      case IpamErrorCode.PrefixInQuarantine:
      case IpamErrorCode.AlreadyReleased:
        return 'conflict';
      case IpamErrorCode.DateInFuture:
      case IpamErrorCode.BeforeSubscriptionStart:
      case IpamErrorCode.ReleaseBeforeStart:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}

/** A 400 naming the offending field, shaped like a validation problem. */
export function invalidField(code: IpamErrorCode.InvalidPool | IpamErrorCode.InvalidPrefix | IpamErrorCode.InvalidAddress | IpamErrorCode.PurposeRequired, path: string, message: string): IpamError {
  return new IpamError(code, message, { errors: [{ path, message }] });
}
