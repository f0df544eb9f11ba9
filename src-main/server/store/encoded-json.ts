/**
 * JSON text, already UTF-8, that decodes to a `T`: the transport writes it as is. A poll's
 * messages come out of SQLite this way (json_array), for 200 rows at a fifth of the cost of
 * reading them into JavaScript and JSON.stringify-ing them; parsing them back to splice them
 * into the answer would undo that. It lives with the store, the lowest layer, because the store
 * makes it and the rooms and transport layers above both use it.
 */
export class EncodedJson<T> {
  /** Never set: makes an EncodedJson<A> unassignable to an EncodedJson<B>. */
  declare private readonly decodesTo: T;

  /**
   * Kept in pieces, never joined: a poll's rows are ~100 KB, and a new buffer that large costs
   * more than the copy itself (fresh pages from the kernel); TLS joins a write's pieces anyway.
   */
  private constructor(private readonly chunks: readonly Buffer[]) {}

  /**
   * For bytes the caller vouches for: valid JSON whose value is a `T`, byte for byte what
   * `JSON.stringify` of that value would give, since clients (and the stock client's
   * json.loads) must see no difference. Tests must prove it for each such caller.
   */
  static trusted<T>(chunks: readonly Buffer[]): EncodedJson<T> {
    return new EncodedJson<T>(chunks);
  }

  /**
   * `{"key":value,...}` in the fields' order, as JSON.stringify writes an object: encoded
   * values are spliced in as they are, the rest go through JSON.stringify.
   */
  static object<T extends object>(fields: {
    [K in keyof T]: T[K] | EncodedJson<T[K]>;
  }): EncodedJson<T> {
    const chunks: Buffer[] = [];
    let text = '';
    let separator = '{';
    for (const [key, value] of Object.entries(fields) as [string, unknown][]) {
      // What JSON.stringify leaves out of an object (undefined, functions) stays out here too.
      const plain =
        value instanceof EncodedJson ? '' : (JSON.stringify(value) as string | undefined);
      if (plain === undefined) continue;
      text += `${separator}${JSON.stringify(key)}:${plain}`;
      separator = ',';
      if (value instanceof EncodedJson) {
        chunks.push(Buffer.from(text), ...value.chunks);
        text = '';
      }
    }
    chunks.push(Buffer.from(separator === '{' ? '{}' : `${text}}`));
    return new EncodedJson<T>(chunks);
  }

  /** The answer's body in pieces: an encoded value's own, anything else through JSON.stringify. */
  static chunksOf<T>(value: T | EncodedJson<T>): readonly Buffer[] {
    return value instanceof EncodedJson ? value.chunks : [Buffer.from(JSON.stringify(value))];
  }
}
