import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum PrivacyErrorCode {
  CategoryNotFound = 'retention-category-not-found',
  JustificationRequired = 'retention-justification-required',
}

export class PrivacyError extends DomainError<PrivacyErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case PrivacyErrorCode.CategoryNotFound:
        return 'not-found';
      case PrivacyErrorCode.JustificationRequired:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}
