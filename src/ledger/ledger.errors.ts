import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum LedgerErrorCode {
  /** A tree size or leaf index the log has not reached yet. */
  BeyondTree = 'ledger-beyond-tree',
  IndexOutsideTree = 'ledger-index-outside-tree',
  RangeOutOfOrder = 'ledger-range-out-of-order',
  EntryNotFound = 'ledger-entry-not-found',
  /** No process has signed a tree head yet (each signs one when it starts). */
  NoCheckpoint = 'ledger-no-checkpoint',
  PurposeRequired = 'purpose-required',
  LegalBasisRequired = 'legal-basis-required',
  /** A text that UTF-8 cannot carry (a lone surrogate), so no canonical leaf exists for it. */
  EntryNotEncodable = 'ledger-entry-not-encodable',
}

export class LedgerError extends DomainError<LedgerErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case LedgerErrorCode.BeyondTree:
      case LedgerErrorCode.EntryNotFound:
      case LedgerErrorCode.NoCheckpoint:
        return 'not-found';
      case LedgerErrorCode.IndexOutsideTree:
      case LedgerErrorCode.RangeOutOfOrder:
      case LedgerErrorCode.PurposeRequired:
      case LedgerErrorCode.LegalBasisRequired:
      case LedgerErrorCode.EntryNotEncodable:
        return 'invalid';
      default:
        return assertUnreachable(this.code);
    }
  }
}
