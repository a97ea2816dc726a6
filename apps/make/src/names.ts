/** Words written in capitals in labels, so `contact_id` reads "Contact ID" rather than "Contact Id". */
const ACRONYMS = new Set(['id', 'url', 'api', 'uid', 'iso', 'utc', 'csv', 'pdf']);

/** Splits `noun.verb_phrase`, `snake_case`, `kebab-case` and `camelCase` names into lower-case words. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** Returns `lowerCamelCase` of a name: `invoice.payment_failed` becomes `invoicePaymentFailed`. */
export function toCamelCase(name: string): string {
  return splitWords(name)
    .map((word, index) => (index === 0 ? word : capitalize(word)))
    .join('');
}

/**
 * Returns the kebab-case form the VS Code extension uses for folder and file names of a component
 * (`watchInvoicePaid` becomes `watch-invoice-paid`).
 */
export function toKebabCase(name: string): string {
  return splitWords(name).join('-');
}

/** Returns a Title Case label for a field name: `hosted_invoice_url` becomes "Hosted Invoice URL". */
export function toLabel(name: string): string {
  return splitWords(name)
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : capitalize(word)))
    .join(' ');
}

/** Returns an English plural of one lower-case noun, enough for group labels built from event type nouns. */
export function pluralize(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) {
    return `${noun.slice(0, -1)}ies`;
  }
  if (/(s|x|z|ch|sh)$/.test(noun)) {
    return `${noun}es`;
  }
  return `${noun}s`;
}

/** Returns the singular of a plural field name when it is a regular plural (`tags` to `tag`), otherwise the name. */
export function singularize(noun: string): string {
  if (/[^aeiou]ies$/.test(noun)) {
    return `${noun.slice(0, -3)}y`;
  }
  if (/[^s]s$/.test(noun)) {
    return noun.slice(0, -1);
  }
  return noun;
}

/** Returns the word with its first letter in upper case. */
export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
