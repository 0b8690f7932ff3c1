import { TransportError } from './transport';

const SYSTEM_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/**
 * What is recorded and logged of a failed try. A transport's own reason is kept; of any other error
 * only its system code (`ECONNREFUSED`) or its class name, since its message may quote an address.
 */
export function failureReason(error: unknown): string {
  if (error instanceof TransportError) return error.reason.slice(0, 200);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && SYSTEM_CODE.test(code)) return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause !== error) return failureReason(cause);
    return /^[A-Za-z]{1,60}$/.test(error.name) ? error.name : 'Error';
  }
  return 'unknown error';
}
