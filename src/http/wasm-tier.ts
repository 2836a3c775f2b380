let wanted = false;

/** Called by the CLI's entry: a short-lived process is better off without WebAssembly tier-up. */
export function preferBaselineWasm(): void {
  wanted = true;
}

export function baselineWasmWanted(): boolean {
  return wanted;
}
