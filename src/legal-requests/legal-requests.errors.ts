import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum LegalRequestsErrorCode {
  RequestNotFound = 'legal-request-not-found',
  DocumentNotFound = 'legal-request-document-not-found',
  DocumentTypeRefused = 'legal-request-document-type-refused',
  AlreadyAnswered = 'legal-request-already-answered',
}

export class LegalRequestsError extends DomainError<LegalRequestsErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case LegalRequestsErrorCode.RequestNotFound:
      case LegalRequestsErrorCode.DocumentNotFound:
        return 'not-found';
      case LegalRequestsErrorCode.DocumentTypeRefused:
        return 'unprocessable';
      case LegalRequestsErrorCode.AlreadyAnswered:
        return 'conflict';
      default:
        return assertUnreachable(this.code);
    }
  }
}
