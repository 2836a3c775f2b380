/** A value as the user gave it, and where from, so an error can point at the right place. */
export interface Sourced<T> {
  value: T;
  /** Undefined for a flag; a config key path ("providers.apimart.defaults.duration") otherwise. */
  configKey?: string;
}
