import { isWellFormedUnicode } from '../common/unicode';

/**
 * Canonical JSON: the bytes of a ledger leaf, so that one entry always hashes the same way, in this
 * process, after a restart, or in an outside verifier.
 *
 * - Object keys are sorted by UTF-16 code units (JavaScript's default string order, as RFC 8785 §3.2.3).
 * - No whitespace. Strings and numbers are written as JSON.stringify writes them (ECMAScript number
 *   formatting, as RFC 8785 §3.2.2.3; -0 becomes 0). The result is UTF-8.
 * - Accepted values: null, booleans, finite numbers, strings, arrays and plain objects.
 * - An object property whose value is undefined is omitted, as JSON.stringify does, so optional fields
 *   can be left unset. Undefined inside an array (or a hole) is rejected, since JSON.stringify would
 *   silently turn it into null.
 * - Rejected with a TypeError naming the path: non-finite numbers, bigint, functions, symbols, strings
 *   with lone surrogates (UTF-8 cannot carry them; I-JSON, RFC 7493 §2.1), cycles, and objects that are
 *   not plain (Date, Buffer, Map, class instances), whose JSON form would hang on a toJSON method: the
 *   caller converts them explicitly, e.g. a Date to its RFC 3339 string.
 */
export function canonicalJson(value: unknown): Buffer {
  return Buffer.from(serialize(value, '$', new Set()), 'utf8');
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'string':
      return serializeString(value, path);
    case 'object':
      return serializeContainer(value, path, ancestors);
    default:
      throw new TypeError(`${path}: ${typeof value} has no canonical JSON form`);
  }
}

function serializeString(text: string, path: string): string {
  if (!isWellFormedUnicode(text)) throw new TypeError(`${path}: string holds a lone surrogate`);
  return JSON.stringify(text);
}

function serializeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError(`${path}: cyclic structure`);
  ancestors.add(value);
  try {
    return Array.isArray(value) ? serializeArray(value, path, ancestors) : serializeObject(value, path, ancestors);
  } finally {
    // Only ancestors count: the same object may appear twice side by side without being a cycle.
    ancestors.delete(value);
  }
}

function serializeArray(items: readonly unknown[], path: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const itemPath = `${path}[${i}]`;
    if (items[i] === undefined) throw new TypeError(`${itemPath}: undefined inside an array`);
    parts.push(serialize(items[i], itemPath, ancestors));
  }
  return `[${parts.join(',')}]`;
}

function serializeObject(value: object, path: string, ancestors: Set<object>): string {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`${path}: only plain objects have a canonical JSON form`);
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    const memberPath = `${path}.${key}`;
    members.push(`${serializeString(key, memberPath)}:${serialize(record[key], memberPath, ancestors)}`);
  }
  return `{${members.join(',')}}`;
}
