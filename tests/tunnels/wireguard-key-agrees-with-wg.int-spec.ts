import { spawnSync } from 'node:child_process';
import { checkWireguardKey } from '../../src/common/wireguard-key';

/** wg(8)'s verdict on a key: `wg pubkey` reads a key in the same format and refuses any other spelling. */
function wgAccepts(key: string): boolean {
  return spawnSync('wg', ['pubkey'], { input: `${key}\n`, encoding: 'utf8' }).status === 0;
}

describe('the WireGuard key check', () => {
  it('accepts-and-refuses-exactly-what-wg-accepts-and-refuses', () => {
    const real = spawnSync('wg', ['genkey'], { encoding: 'utf8' }).stdout.trim();
    const keys = [
      real,
      Buffer.alloc(32, 0xfb).toString('base64'),
      Buffer.alloc(31, 1).toString('base64'),
      Buffer.alloc(33, 1).toString('base64'),
      real.slice(0, 43),
      // "B" sets a bit the 32 bytes do not reach: same bytes, another spelling.
      `${real.slice(0, 42)}B=`,
      Buffer.alloc(32, 0xfb).toString('base64url') + '=',
      Buffer.alloc(32, 3).toString('hex'),
    ];
    const verdicts = keys.map((key) => ({ key, lanterne: checkWireguardKey(key).ok, wg: wgAccepts(key) }));
    expect(verdicts.filter((verdict) => verdict.lanterne !== verdict.wg)).toEqual([]);
    expect(verdicts.map((verdict) => verdict.wg)).toEqual([true, true, false, false, false, false, false, false]);
  });
});
