// Words that Title Case would get wrong; Zapier shows "Contact ID", not "Contact Id".
const ACRONYMS: ReadonlyMap<string, string> = new Map([
  ['api', 'API'],
  ['id', 'ID'],
  ['json', 'JSON'],
  ['url', 'URL'],
]);

/** Turns a snake_case key such as `hosted_invoice_url` into a Title Case label such as "Hosted Invoice URL". */
export function labelFromKey(key: string): string {
  return key
    .split('_')
    .filter((word) => word.length > 0)
    .map((word) => ACRONYMS.get(word.toLowerCase()) ?? word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
