/**
 * A reader of captured frames whose stream can be replaced while it is read. When a camera
 * stops delivering in the middle of a recording, the page hands the worker a stream read
 * afresh from the device, and the worker reads on into the same file: the stall is a hole
 * in that file (its counters record it), never a file cut short or a worker started anew.
 */
export class ReplaceableReader<T extends { close(): void }> {
  private reader: ReadableStreamDefaultReader<T>;
  private generation = 0;
  private cancelled = false;

  constructor(stream: ReadableStream<T>) {
    this.reader = stream.getReader();
  }

  /** Reads on from `stream`; the old stream is cancelled (a read waiting on it moves over). */
  replace(stream: ReadableStream<T>): void {
    if (this.cancelled) {
      void stream.cancel().catch(() => {});
      return;
    }
    const old = this.reader;
    this.reader = stream.getReader();
    this.generation++;
    void old.cancel().catch(() => {});
  }

  /** Ends reading: the waiting read (and every later one) reports done. */
  cancel(): void {
    this.cancelled = true;
    void this.reader.cancel().catch(() => {});
  }

  async read(): Promise<ReadableStreamReadResult<T>> {
    for (;;) {
      const generation = this.generation;
      const r = await this.reader
        .read()
        .catch((): ReadableStreamReadResult<T> => ({ done: true, value: undefined }));
      // A frame the old stream still delivered is a captured frame like any other.
      if (!r.done) return r;
      if (this.cancelled || generation === this.generation) return r;
    }
  }
}
