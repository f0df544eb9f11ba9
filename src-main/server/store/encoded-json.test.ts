import { describe, expect, it } from 'vitest';
import { EncodedJson } from './encoded-json';

const text = (value: unknown) => Buffer.concat(EncodedJson.chunksOf(value)).toString('utf8');

describe('EncodedJson', () => {
  it('writes plain values as JSON.stringify does', () => {
    const value = { status: 'ok', n: 1.5, list: [1, 'a"\\'], nested: { x: null } };
    expect(text(value)).toBe(JSON.stringify(value));
  });

  it('builds an object with encoded values spliced in as they are, in the fields order', () => {
    const rows = EncodedJson.trusted<number[][]>([Buffer.from('[[1,'), Buffer.from('2]]')]);
    const first = EncodedJson.object<{ rows: number[][]; status: string }>({
      rows,
      status: 'upd"ated',
    });
    expect(text(first)).toBe(JSON.stringify({ rows: [[1, 2]], status: 'upd"ated' }));
    const last = EncodedJson.object<{ status: string; rows: number[][]; more: number[][] }>({
      status: 'updated',
      rows,
      more: rows,
    });
    expect(text(last)).toBe(JSON.stringify({ status: 'updated', rows: [[1, 2]], more: [[1, 2]] }));
  });

  it('leaves out what JSON.stringify leaves out of an object', () => {
    expect(text(EncodedJson.object<{ a?: number; b: number }>({ a: undefined, b: 2 }))).toBe(
      '{"b":2}',
    );
    expect(text(EncodedJson.object<{ a?: number }>({ a: undefined }))).toBe('{}');
    expect(text(EncodedJson.object<object>({}))).toBe('{}');
  });
});
