// The one error the HAR layer throws for input it cannot read: one line, what is wrong and where.

export class HarError extends Error {
  /** Byte offset in the file, when the streaming reader knows it. */
  readonly offset?: number;
  constructor(message: string, offset?: number) {
    super(message);
    this.name = "HarError";
    if (offset !== undefined) this.offset = offset;
  }
}
