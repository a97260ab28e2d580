/** A worker thread of the bulk path's reading phase: reads its share of the files (readWorksPart). */
import { parentPort, workerData } from 'node:worker_threads';
import { type ReadMessage, type ReadPart, readWorksPart } from './openalex-bulk.ts';

const port = parentPort!;
const output = await readWorksPart(workerData as ReadPart, (message: ReadMessage) => port.postMessage(message));
port.postMessage({ done: output });
