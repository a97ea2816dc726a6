import type { ModuleComponent, ModuleGroup } from '../model.js';
import { capitalize, pluralize, splitWords } from '../names.js';

/** Module ids whose group is fixed rather than derived from an event type noun. */
export interface GroupPlacement {
  /** Group label, such as "Contacts". */
  label: string;
  moduleIds: string[];
}

/**
 * Groups the modules for Make's module picker, one group per resource: each instant trigger joins the group of its
 * event type's noun (`invoice.paid` goes to "Invoices"), and fixed placements add the action and search modules.
 * Groups appear in order of first use; triggers come first within a group.
 */
export function buildGroups(
  triggers: { module: ModuleComponent; eventType: string }[],
  placements: GroupPlacement[],
): ModuleGroup[] {
  const groups = new Map<string, string[]>();
  const add = (label: string, ids: string[]): void => {
    groups.set(label, [...(groups.get(label) ?? []), ...ids]);
  };

  for (const { module, eventType } of triggers) {
    const noun = eventType.split('.')[0] ?? eventType;
    add(groupLabel(noun), [module.id]);
  }
  for (const placement of placements) {
    add(placement.label, placement.moduleIds);
  }

  return [...groups].map(([label, modules]) => ({ label, modules }));
}

/** "invoice" becomes "Invoices", "line_item" becomes "Line Items". */
export function groupLabel(noun: string): string {
  const words = splitWords(noun);
  const last = words.pop() ?? noun;
  return [...words, pluralize(last)].map(capitalize).join(' ');
}
