import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum PrivacyErrorCode {
  CategoryNotFound = 'retention-category-not-found',
  JustificationRequired = 'retention-justification-required',
  NoSubscriber = 'member-account-without-subscriber',
  IdentityNotRectifiable = 'identity-rectified-by-verification',
  InvalidProposedValue = 'rectification-invalid-value',
  RectificationNotFound = 'rectification-not-found',
  RectificationPending = 'rectification-already-pending',
  RectificationResolved = 'rectification-already-resolved',
}

export class PrivacyError extends DomainError<PrivacyErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case PrivacyErrorCode.CategoryNotFound:
      case PrivacyErrorCode.RectificationNotFound:
        return 'not-found';
      case PrivacyErrorCode.JustificationRequired:
      case PrivacyErrorCode.IdentityNotRectifiable:
        return 'unprocessable';
      case PrivacyErrorCode.NoSubscriber:
        return 'forbidden';
      case PrivacyErrorCode.InvalidProposedValue:
        return 'invalid';
      case PrivacyErrorCode.RectificationPending:
      case PrivacyErrorCode.RectificationResolved:
        return 'conflict';
      default:
        return assertUnreachable(this.code);
    }
  }
}
