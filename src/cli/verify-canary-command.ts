import { verifyRemoteCanary } from '../canary/remote-canary';

/**
 * `lanterne verify-canary`: prints the canary's dates and status and returns the exit code: 0 when
 * signed by the ledger key and current, 2 when so signed but lapsed, 1 when it cannot be verified
 * (bad signature, another key, no canary, an unreachable or malformed answer), saying which.
 */
export async function runVerifyCanaryCommand(options: { url: string }, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const report = await verifyRemoteCanary(options.url, new Date());
  if (report.canary) {
    out.write(`issued: ${report.canary.issuedAt}\nrenew by: ${report.canary.renewBy}\nproposal: ${report.canary.proposalId}\n`);
  }
  if (report.failure) {
    err.write(`canary verification FAILED: ${report.failure}\n`);
    return report.exitCode;
  }
  out.write(`signature: valid, by the ledger key of the checkpoint\nstatus: ${report.status}\n`);
  if (report.status === 'lapsed') err.write(`the canary LAPSED: it was due for renewal by ${report.canary?.renewBy} and no newer one was issued\n`);
  return report.exitCode;
}
