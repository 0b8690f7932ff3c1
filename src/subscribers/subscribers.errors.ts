import { assertUnreachable, DomainError, ProblemKind } from '../common/domain-error';

export enum SubscribersErrorCode {
  SubscriberNotFound = 'subscriber-not-found',
  SubscriptionNotFound = 'subscription-not-found',
  ImpossibleTransition = 'impossible-status-transition',
  SubscriberTerminated = 'subscriber-terminated',
  SubscriptionEnded = 'subscription-ended',
  DateInFuture = 'date-in-future',
  EndBeforeStart = 'end-before-start',
}

export class SubscribersError extends DomainError<SubscribersErrorCode> {
  get kind(): ProblemKind {
    switch (this.code) {
      case SubscribersErrorCode.SubscriberNotFound:
      case SubscribersErrorCode.SubscriptionNotFound:
        return 'not-found';
      case SubscribersErrorCode.ImpossibleTransition:
      case SubscribersErrorCode.SubscriberTerminated:
      case SubscribersErrorCode.SubscriptionEnded:
        return 'conflict';
      case SubscribersErrorCode.DateInFuture:
      case SubscribersErrorCode.EndBeforeStart:
        return 'unprocessable';
      default:
        return assertUnreachable(this.code);
    }
  }
}
