import { dataMapDefects, loadDataMap, retentionDates } from './data-map';
import { EXPORT_PARTS } from './data-map.service';
import { loadProfile } from './jurisdiction-profiles';

describe('the category map', () => {
  it.each(['be', 'fr'] as const)('the-%s-map-explains-every-part-of-the-export-under-policies-its-profile-has', (jurisdiction) => {
    expect(dataMapDefects(loadDataMap(jurisdiction), loadProfile(jurisdiction), EXPORT_PARTS)).toEqual([]);
  });

  it('names-a-part-no-category-explains-and-a-policy-the-profile-lacks', () => {
    const map = loadDataMap('be');
    const { 'cpe-loans': _removed, ...categories } = map.categories;
    const broken = { ...map, categories: { ...categories, identity: { ...map.categories.identity, retention: { policy: 'forever', from: { section: 'subscriber', field: 'terminatedAt' } } } } };
    expect(dataMapDefects(broken, loadProfile('be'), EXPORT_PARTS)).toEqual([
      'identity is kept under forever, which the be profile has no figure for',
      'cpe is in the export but no category of the map explains it',
    ]);
  });

  it('dates-each-item-from-its-starting-event-and-leaves-a-future-one-open', () => {
    const items = [
      { id: 'a', validUntil: '2025-06-01T00:00:00.000Z', status: 'sent' },
      { id: 'b', validUntil: null, status: 'verified' },
    ];
    expect(retentionDates({ field: 'validUntil' }, 365, items)).toEqual([
      { id: 'a', keptUntil: '2026-06-01T00:00:00.000Z' },
      { id: 'b', keptUntil: null },
    ]);
    expect(retentionDates({ field: 'validUntil', only: { field: 'status', equals: 'sent' } }, 0, items)).toEqual([{ id: 'a', keptUntil: '2025-06-01T00:00:00.000Z' }]);
    expect(retentionDates({ field: 'terminatedAt' }, 30, { terminatedAt: '2026-01-01T00:00:00.000Z' })).toEqual([{ keptUntil: '2026-01-31T00:00:00.000Z' }]);
    expect(retentionDates({ field: 'closedAt' }, 30, null)).toEqual([]);
  });
});
