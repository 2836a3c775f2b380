/** The environment grokvid reads (keys, base URLs, GROKVID_*): process.env, or a caller's own. */
export type Env = Readonly<Record<string, string | undefined>>;
