type Gc = (options: { type: "minor" }) => void;
let gc: Gc | undefined;

/**
 * The CLI's Runtime.collectGarbage. Every network chunk is a fresh ArrayBuffer whose memory lives
 * outside V8's heap, freed only when a GC finds its small JS wrapper dead. Measured on a 1 GiB
 * download (--trace-gc): the main thread scavenged every ~30 MiB, when the wrappers had filled
 * the young generation, and the hashing worker, whose heap holds little else, ran a full GC only
 * when V8's ~64 MiB external-memory trigger fired: peak RSS ~100 MiB without the worker, ~155 MiB
 * with it. A young-generation GC every few MiB in each thread frees them while they are few
 * (83 MiB at any size), at a fraction of a millisecond each. `gc` is exposed on the first call,
 * from the download path: a V8 flag set at start-up would cost every command its code cache.
 * Threads started after that call have `gc` too.
 */
export function collectYoungGeneration(): void {
  if (!gc) {
    process.getBuiltinModule("node:v8").setFlagsFromString("--expose-gc");
    // The flag only installs `gc` in contexts created after it: a fresh one hands it out.
    gc = process.getBuiltinModule("node:vm").runInNewContext("gc") as Gc;
  }
  gc({ type: "minor" });
}
