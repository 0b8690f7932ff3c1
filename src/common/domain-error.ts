/**
 * What kind of failure a domain error is; the problem filter turns each kind into one HTTP status.
 * Contexts never pick statuses themselves: each defines `XxxError` with its own code enum and maps
 * every code to a kind with an exhaustive switch.
 */
export type ProblemKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'unprocessable' | 'rate-limited' | 'unsupported-media-type';

export abstract class DomainError<Code extends string = string> extends Error {
  abstract readonly kind: ProblemKind;

  constructor(
    readonly code: Code,
    readonly detail: string,
    /** Extra members of the problem document (e.g. `attemptsLeft`, a pool's counts). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}
