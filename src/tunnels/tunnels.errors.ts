import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum TunnelsErrorCode {
  MtuBelowMinimum = 'mtu-below-minimum',
  PresetNotFound = 'tunnel-preset-not-found',
  PresetNameTaken = 'tunnel-preset-name-taken',
  TunnelNotConfigured = 'tunnel-not-configured',
  FormatMismatch = 'tunnel-format-mismatch',
  AssociationNotConfigured = 'tunnel-association-not-configured',
  NoAddress = 'tunnel-no-address',
  PeerNotRegistered = 'tunnel-peer-not-registered',
  CertificateRequired = 'tunnel-certificate-required',
  PeerKeyTaken = 'tunnel-peer-key-taken',
  InvalidPeer = 'invalid-tunnel-peer',
}

export class TunnelsError extends DomainError<TunnelsErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case TunnelsErrorCode.PresetNotFound:
      case TunnelsErrorCode.TunnelNotConfigured:
      case TunnelsErrorCode.PeerNotRegistered:
        return 'not-found';
      case TunnelsErrorCode.PresetNameTaken:
      case TunnelsErrorCode.FormatMismatch:
      case TunnelsErrorCode.AssociationNotConfigured:
      case TunnelsErrorCode.NoAddress:
      case TunnelsErrorCode.PeerKeyTaken:
      case TunnelsErrorCode.CertificateRequired:
        return 'conflict';
      case TunnelsErrorCode.InvalidPeer:
        return 'invalid';
      case TunnelsErrorCode.MtuBelowMinimum:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}

/** A 400 naming the offending field, shaped like a validation problem. */
export function invalidPeerField(path: string, message: string): TunnelsError {
  return new TunnelsError(TunnelsErrorCode.InvalidPeer, `${path} ${message}`, { errors: [{ path, message }] });
}
