import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum CanaryErrorCode {
  NoCanary = 'canary-none',
  RenewByPast = 'canary-renew-by-past',
}

export class CanaryError extends DomainError<CanaryErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case CanaryErrorCode.NoCanary:
        return 'not-found';
      case CanaryErrorCode.RenewByPast:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}
