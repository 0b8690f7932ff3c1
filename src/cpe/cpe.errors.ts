import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum CpeErrorCode {
  CpeNotFound = 'cpe-not-found',
  SerialTaken = 'cpe-serial-taken',
  MacTaken = 'cpe-mac-taken',
  AlreadyAssigned = 'cpe-already-assigned',
  NotAssigned = 'cpe-not-assigned',
  Broken = 'cpe-broken',
}

export class CpeError extends DomainError<CpeErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case CpeErrorCode.CpeNotFound:
        return 'not-found';
      case CpeErrorCode.SerialTaken:
      case CpeErrorCode.MacTaken:
      case CpeErrorCode.AlreadyAssigned:
      case CpeErrorCode.NotAssigned:
      case CpeErrorCode.Broken:
        return 'conflict';
      default:
        return assertUnreachable(this.code);
    }
  }
}
