/**
 * Loaded into the server by bench/memory.ts (`node --expose-gc --import tsx --import ./bench/memory-probe.ts`),
 * never by the server itself: answers the parent's IPC messages.
 *   { probe: 'measure' }            process.memoryUsage(), full GCs, then process.memoryUsage() and V8's heap spaces
 *   { probe: 'snapshot', path }     v8.writeHeapSnapshot(path) (which collects garbage first)
 */
import v8 from 'node:v8';

type Request = { probe: 'measure'; id: number } | { probe: 'snapshot'; id: number; path: string };

const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (message: Request) => {
  if (!message || typeof message !== 'object' || !('probe' in message)) return;
  if (message.probe === 'measure') {
    if (!gc) return process.send?.({ id: message.id, error: 'the server runs without --expose-gc' });
    const before = process.memoryUsage();
    // Several passes: weak references and finalizers (WeakMaps, FinalizationRegistry) take more than one.
    for (let i = 0; i < 4; i++) gc();
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
    process.send?.({ id: message.id, before, memory: process.memoryUsage(), spaces });
  } else if (message.probe === 'snapshot') {
    process.send?.({ id: message.id, path: v8.writeHeapSnapshot(message.path) });
  }
});
// The channel must not keep the server alive on its own.
(process.channel as { unref?: () => void } | undefined)?.unref?.();
