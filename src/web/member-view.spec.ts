import { categoryPanels, valueNode } from './member-view';
import type { MemberData } from '../privacy/member-data.schemas';

describe('the member overview', () => {
  it('shows values as nested labelled lists, a list numbered from 1 and an empty one as none', () => {
    expect(valueNode('ipAssignments', [{ prefix: '192.0.2.1/32', validUntil: null, reverseDns: [] }])).toEqual({
      label: 'ipAssignments',
      children: [{ label: '1', children: [{ label: 'prefix', value: '192.0.2.1/32' }, { label: 'validUntil', value: '—' }, { label: 'reverseDns', empty: true }] }],
    });
    expect(valueNode('identity', null)).toEqual({ label: 'identity', value: '—' });
  });

  it('puts each part under the category that explains it, links the parts with a page, and leaves the rectifications to theirs', () => {
    const category = (name: string, sections: string[]) => ({ category: name, sections, dates: [] }) as unknown as MemberData['retention'][number];
    const data = {
      subscriber: { id: 's', memberNumber: 7, displayName: 'Alice', rectifications: [{ id: 'r' }] },
      ipAssignments: [],
      accessLog: [],
      retention: [category('subscriber-record', ['subscriber']), category('access-log', ['accessLog']), category('reverse-dns', ['reverseDns']), category('ip-assignments', ['ipAssignments'])],
    } as unknown as MemberData;
    const panels = categoryPanels(data);
    expect(panels.map((p) => p.sections)).toEqual([
      [{ name: 'subscriber', node: { label: 'subscriber', children: [{ label: 'id', value: 's' }, { label: 'memberNumber', value: '7' }, { label: 'displayName', value: 'Alice' }] } }],
      [{ name: 'accessLog', page: '/me/access-log' }],
      [{ name: 'reverseDns' }],
      [{ name: 'ipAssignments', node: { label: 'ipAssignments', empty: true } }],
    ]);
  });
});
