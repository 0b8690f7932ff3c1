import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum WebErrorCode {
  SignInRequired = 'page-sign-in-required',
  NotForYou = 'page-not-for-your-roles',
  SignInLinksOff = 'sign-in-links-not-configured',
  BadCsrfToken = 'page-form-token-invalid',
}

export class WebError extends DomainError<WebErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case WebErrorCode.SignInRequired:
        return 'unauthenticated';
      case WebErrorCode.NotForYou:
      case WebErrorCode.BadCsrfToken:
        return 'forbidden';
      case WebErrorCode.SignInLinksOff:
        return 'conflict';
      default:
        return assertUnreachable(this.code);
    }
  }
}
