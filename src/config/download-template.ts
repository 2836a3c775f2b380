/** The placeholders a download name template (`download.template`, -o) may use. */
export const templateFields = ["provider", "id", "date", "index", "slug"] as const;

/** Placeholders a template uses that grokvid does not know, for config validation. */
export function unknownTemplateFields(template: string): string[] {
  const known: readonly string[] = templateFields;
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").filter((k) => !known.includes(k));
}
