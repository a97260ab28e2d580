import { createReadStream } from 'node:fs';
import type { PageRow } from '../../src/db/queries/load-pages.ts';

/** JSON Lines, one parsed row at a time; reading pauses while the consumer is busy (stream backpressure). */
export async function* readRows(file: string): AsyncGenerator<PageRow> {
  let rest: Buffer | undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let data = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      if (nl > start) yield JSON.parse(data.toString('utf8', start, nl)) as PageRow;
      start = nl + 1;
    }
    rest = start < data.length ? data.subarray(start) : undefined;
    data = Buffer.alloc(0);
  }
  if (rest && rest.length > 0) yield JSON.parse(rest.toString('utf8')) as PageRow;
}
