import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

/** The refusals of c2sp.org/tlog-witness add-checkpoint, each with the status the specification gives it. */
export enum WitnessErrorCode {
  /** Not the request format, or an old size above the checkpoint's: 400. */
  Malformed = 'witness-malformed-request',
  /** No log with this origin is followed (or no checkpoint cosigned for it yet): 404. */
  UnknownOrigin = 'witness-unknown-origin',
  /** No valid signature of the log's key, or one of its lines fails to verify: 403. */
  Untrusted = 'witness-untrusted-signature',
  /** The old size is not the size last cosigned: 409, answered as text/x.tlog.size with that size. */
  OldSizeMismatch = 'witness-old-size-mismatch',
  /** A proof that does not verify, or a tree that contradicts the one cosigned: 422. */
  Inconsistent = 'witness-inconsistent-checkpoint',
}

export class WitnessError extends DomainError<WitnessErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case WitnessErrorCode.Malformed:
        return 'invalid';
      case WitnessErrorCode.UnknownOrigin:
        return 'not-found';
      case WitnessErrorCode.Untrusted:
        return 'forbidden';
      case WitnessErrorCode.OldSizeMismatch:
        return 'conflict';
      case WitnessErrorCode.Inconsistent:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}
