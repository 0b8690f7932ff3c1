import { migrationTimestamps } from './migrate';

describe('the migrations a build carries', () => {
  it('reads each timestamp from its file name, leaving out declarations, source maps and the tsconfig', () => {
    const files = ['1763769600000-Foundation.js', '1763769600000-Foundation.js.map', '1763769700000-Ipam.d.js', '1763769800000-Ledger.js', 'tsconfig.json'];
    expect(migrationTimestamps(files, '.js')).toEqual([1763769600000, 1763769800000]);
  });

  it('yields NaN for a file it cannot read, which counts as pending', () => {
    expect(migrationTimestamps(['Foundation.ts'], '.ts')).toEqual([NaN]);
  });
});
