import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum IdentityErrorCode {
  VerificationNotFound = 'verification-not-found',
  SubscriberTerminated = 'subscriber-terminated',
  NotYourVerification = 'not-your-verification',
  VerificationNotPending = 'verification-not-pending',
  WrongCode = 'wrong-code',
  TooManySends = 'too-many-sends',
  ResendTooSoon = 'resend-too-soon',
  NotALetter = 'not-a-letter',
  NoPendingLetters = 'no-pending-letters',
}

export class IdentityError extends DomainError<IdentityErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case IdentityErrorCode.VerificationNotFound:
        return 'not-found';
      case IdentityErrorCode.NotYourVerification:
        return 'forbidden';
      case IdentityErrorCode.SubscriberTerminated:
      case IdentityErrorCode.VerificationNotPending:
      case IdentityErrorCode.NotALetter:
      case IdentityErrorCode.NoPendingLetters:
        return 'conflict';
      case IdentityErrorCode.WrongCode:
        return 'unprocessable';
      case IdentityErrorCode.TooManySends:
      case IdentityErrorCode.ResendTooSoon:
        return 'rate-limited';
      default:
        return assertUnreachable(this.code);
    }
  }
}

export const verificationNotFound = (id: string) => new IdentityError(IdentityErrorCode.VerificationNotFound, `No verification ${id}.`);

/** A verification that has ended (verified, locked, expired): its code can no longer be used, nor its letter printed. */
export const verificationNotPending = (status: string) =>
  new IdentityError(IdentityErrorCode.VerificationNotPending, `This verification is ${status}: its code can no longer be used.`, { verificationStatus: status });
