import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum LegalRequestsErrorCode {
  RequestNotFound = 'legal-request-not-found',
  DocumentNotFound = 'legal-request-document-not-found',
  DocumentTypeRefused = 'legal-request-document-type-refused',
  /** A move the status table does not allow: the problem names both states. */
  StatusConflict = 'legal-request-status-conflict',
  /** Nothing is disclosed without an adopted comply decision. */
  NoComplyDecision = 'legal-request-no-comply-decision',
  /** Lanterne cannot intercept: such a request is recorded, contested or refused, never executed. */
  NoInterceptionCapability = 'legal-request-no-interception-capability',
  /** A comply decision is answered by its disclosure, not by marking it answered. */
  AnsweredByDisclosure = 'legal-request-answered-by-disclosure',
  /** The answer PDF prints a disclosure: there is none yet. */
  NotDisclosed = 'legal-request-not-disclosed',
  ClosesAtNotFuture = 'legal-request-closes-at-not-future',
  AlreadyAnswered = 'legal-request-already-answered',
}

export class LegalRequestsError extends DomainError<LegalRequestsErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case LegalRequestsErrorCode.RequestNotFound:
      case LegalRequestsErrorCode.DocumentNotFound:
        return 'not-found';
      case LegalRequestsErrorCode.StatusConflict:
      case LegalRequestsErrorCode.NoComplyDecision:
      case LegalRequestsErrorCode.NoInterceptionCapability:
      case LegalRequestsErrorCode.AnsweredByDisclosure:
      case LegalRequestsErrorCode.NotDisclosed:
        return 'conflict';
      case LegalRequestsErrorCode.DocumentTypeRefused:
      case LegalRequestsErrorCode.ClosesAtNotFuture:
        return 'unprocessable';
      case LegalRequestsErrorCode.AlreadyAnswered:
        return 'conflict';
      default:
        return assertUnreachable(this.code);
    }
  }
}
