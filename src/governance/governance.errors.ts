import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum GovernanceErrorCode {
  AccountNotFound = 'privilege-account-not-found',
  AlreadyHeld = 'privilege-already-held',
  NotHeld = 'privilege-not-held',
  AlreadyProposed = 'privilege-already-proposed',
}

export class GovernanceError extends DomainError<GovernanceErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case GovernanceErrorCode.AccountNotFound:
        return 'not-found';
      case GovernanceErrorCode.AlreadyHeld:
      case GovernanceErrorCode.NotHeld:
      case GovernanceErrorCode.AlreadyProposed:
        return 'conflict';
      default:
        return assertUnreachable(this.code);
    }
  }
}
