import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum ProvisioningErrorCode {
  FeedHorizonPassed = 'feed-horizon-passed',
}

export class ProvisioningError extends DomainError<ProvisioningErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case ProvisioningErrorCode.FeedHorizonPassed:
        return 'conflict';
      default:
        return assertUnreachable(this.code);
    }
  }
}
