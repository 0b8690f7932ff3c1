import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum TunnelsErrorCode {
  MtuBelowMinimum = 'mtu-below-minimum',
  PresetNotFound = 'tunnel-preset-not-found',
  PresetNameTaken = 'tunnel-preset-name-taken',
  TunnelNotConfigured = 'tunnel-not-configured',
  FormatMismatch = 'tunnel-format-mismatch',
}

export class TunnelsError extends DomainError<TunnelsErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case TunnelsErrorCode.PresetNotFound:
      case TunnelsErrorCode.TunnelNotConfigured:
        return 'not-found';
      case TunnelsErrorCode.PresetNameTaken:
      case TunnelsErrorCode.FormatMismatch:
        return 'conflict';
      case TunnelsErrorCode.MtuBelowMinimum:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}
