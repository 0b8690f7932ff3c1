/**
 * Content negotiation between the media types a route offers (RFC 9110 §12.5.1): the offer with the
 * highest q the Accept header gives it, the most specific range deciding; ties, a missing header and
 * a bare wildcard go to the first offer (the API's JSON).
 */
export function negotiate<T extends string>(accept: string | undefined, offers: readonly [T, ...T[]]): T {
  if (!accept) return offers[0];
  const ranges = accept.split(',').map((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
    return { range: range.trim(), q: q === undefined ? 1 : Math.min(1, Number(q) || 0) };
  });
  const qualityOf = (offer: string) => {
    const [type] = offer.split('/');
    const match = ranges.find((r) => r.range === offer) ?? ranges.find((r) => r.range === `${type}/*`) ?? ranges.find((r) => r.range === '*/*');
    return match?.q ?? 0;
  };
  let best = offers[0];
  for (const offer of offers.slice(1)) if (qualityOf(offer) > qualityOf(best)) best = offer;
  return best;
}
