import { assertUnreachable, DomainError, ProblemKind } from './domain-error';

export enum CommonErrorCode {
  NotFound = 'not-found',
  InvalidInput = 'invalid-input',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  TooManyAuthFailures = 'too-many-auth-failures',
  UnsupportedMediaType = 'unsupported-media-type',
}

export class CommonError extends DomainError<CommonErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case CommonErrorCode.NotFound:
        return 'not-found';
      case CommonErrorCode.InvalidInput:
        return 'invalid';
      case CommonErrorCode.Unauthenticated:
        return 'unauthenticated';
      case CommonErrorCode.Forbidden:
        return 'forbidden';
      case CommonErrorCode.TooManyAuthFailures:
        return 'rate-limited';
      case CommonErrorCode.UnsupportedMediaType:
        return 'unsupported-media-type';
      default:
        return assertUnreachable(this.code);
    }
  }
}
