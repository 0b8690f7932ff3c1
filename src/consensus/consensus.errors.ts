import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum ConsensusErrorCode {
  CircleNotFound = 'circle-not-found',
  AccountNotFound = 'circle-account-not-found',
  NotMember = 'circle-not-member',
  MembershipNotFound = 'circle-membership-not-found',
  AlreadyMember = 'circle-already-member',
  RoleRequired = 'circle-role-required',
  AccreditationRequired = 'circle-accreditation-required',
  AccreditationExpired = 'accreditation-expired',
  ProposalNotFound = 'proposal-not-found',
  ProposalClosed = 'proposal-closed',
  AlreadyBound = 'proposal-already-bound',
}

export class ConsensusError extends DomainError<ConsensusErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case ConsensusErrorCode.CircleNotFound:
      case ConsensusErrorCode.AccountNotFound:
      case ConsensusErrorCode.MembershipNotFound:
      case ConsensusErrorCode.ProposalNotFound:
        return 'not-found';
      case ConsensusErrorCode.NotMember:
      case ConsensusErrorCode.AccreditationExpired:
        return 'forbidden';
      case ConsensusErrorCode.AlreadyMember:
      case ConsensusErrorCode.ProposalClosed:
      case ConsensusErrorCode.AlreadyBound:
        return 'conflict';
      case ConsensusErrorCode.RoleRequired:
      case ConsensusErrorCode.AccreditationRequired:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}
