import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum AuthErrorCode {
  AccountNotFound = 'account-not-found',
  SubscriberNotFound = 'subscriber-not-found',
  AccountRevoked = 'account-revoked',
  LastAdmin = 'last-admin',
  MemberHasNoEmail = 'member-account-has-no-email',
  /** A privilege changed by a single account outside the bootstrap: it needs an adopted board proposal. */
  PrivilegeNeedsConsensus = 'privilege-needs-consensus',
}

export class AuthError extends DomainError<AuthErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case AuthErrorCode.AccountNotFound:
      case AuthErrorCode.SubscriberNotFound:
        return 'not-found';
      case AuthErrorCode.PrivilegeNeedsConsensus:
        return 'forbidden';
      case AuthErrorCode.AccountRevoked:
      case AuthErrorCode.LastAdmin:
        return 'conflict';
      case AuthErrorCode.MemberHasNoEmail:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}
