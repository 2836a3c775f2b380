/** Whether a bundled chunk contains an `import()` expression (see dynamic-import.mjs). */
export function hasDynamicImport(source: string): boolean;
