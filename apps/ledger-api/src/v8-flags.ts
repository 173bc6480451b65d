import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by main.ts, so it runs before anything else is loaded.
 *
 * V8 pretenures objects from an allocation site that it sees surviving
 * scavenges: it allocates them straight into the old generation. Now and then,
 * early in a start-up rebuild, it makes that call for the events the rebuild
 * reads. Every later event then goes to the old generation and dies there,
 * and the old generation grows to about 4× its live size before a full GC.
 * Starting the app on a 1M-event ledger, the peak RSS was 245–253 MB in most
 * starts and 340–365 MB in about one in five (7 of 35). With pretenuring off
 * it was 244–253 MB in 26 of 26 starts, start-up no slower, and HTTP throughput
 * was unchanged. The flag is only read when V8 processes its pretenuring
 * feedback, so setting it at run time takes effect.
 */
setFlagsFromString('--no-allocation-site-pretenuring');

/**
 * After a full GC V8 lets the old generation grow by a factor it picks from
 * the allocation rate, up to 4×: under the bench's query load (tenures at 16
 * connections, 160 KB replies) a heap of 45 MB live grew to 177 MB before the
 * next full GC, and the app's peak RSS on a 1M-event ledger rose from 246 MB
 * after start-up to 335 MB. Growing by 30% at most kept the peak at the
 * start-up's (246–249 MB in 3 runs), start-up no slower. Read at every GC,
 * so setting it at run time takes effect.
 */
setFlagsFromString('--heap-growing-percent=30');
