import { archiveName, archivesToPrune, backupPattern } from './backup-schedule';

describe('backup schedule', () => {
  it('runs on the hour at the period given', () => {
    expect(backupPattern(1)).toBe('0 */1 * * *');
    expect(backupPattern(6)).toBe('0 */6 * * *');
    expect(backupPattern(24)).toBe('0 0 * * *');
    expect(backupPattern(168)).toBe('0 0 * * 0');
  });

  it('refuses a period that would drift across days', () => {
    expect(() => backupPattern(5)).toThrow(RangeError);
  });

  it('names archives so that their names sort as their times', () => {
    expect(archiveName(new Date('2026-06-01T12:00:00.123Z'))).toBe('lanterne-20260601T120000Z.lbk');
    const names = ['2026-06-02T00:00:00Z', '2026-06-01T23:00:00Z', '2026-12-01T00:00:00Z'].map((at) => archiveName(new Date(at)));
    expect([...names].sort()).toEqual([names[1], names[0], names[2]]);
  });

  it('prunes the oldest archives beyond the number kept and nothing else', () => {
    const names = ['lanterne-20260603T000000Z.lbk', 'notes.txt', 'lanterne-20260601T000000Z.lbk', 'lanterne-20260602T000000Z.lbk', 'lanterne-manual.lbk'];
    expect(archivesToPrune(names, 1)).toEqual(['lanterne-20260601T000000Z.lbk', 'lanterne-20260602T000000Z.lbk']);
    expect(archivesToPrune(names, 3)).toEqual([]);
  });
});
