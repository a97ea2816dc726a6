import type { BrandInput, EventTypeInput } from '../input.js';
import type { ModuleComponent } from '../model.js';

/**
 * Builds the app's own README, which Make shows as the app documentation: what the app does, how to connect,
 * every module, and how instant triggers behave.
 */
export function buildReadme(
  brand: BrandInput,
  modules: ModuleComponent[],
  events: EventTypeInput[],
): string {
  const moduleLines = modules.map((module) => `- **${module.label}**: ${module.description}`);
  const eventLines = events.map((event) => `- \`${event.type}\`: ${event.description}`);

  return [
    `# ${brand.name}`,
    '',
    brand.description,
    '',
    '## Connect',
    '',
    `1. In ${brand.name}, create an API key under [Settings > API keys](${brand.apiKeysUrl}).`,
    `2. In Make, add any ${brand.name} module to a scenario and create a connection with that API key.`,
    `3. Leave **API Base URL** at \`${brand.defaultBaseUrl}\` unless you use a self-hosted or test server.`,
    '',
    'Make checks the key with one request and shows the account name next to the connection.',
    '',
    '## Modules',
    '',
    ...moduleLines,
    '',
    '## Instant triggers',
    '',
    `Each instant trigger creates a webhook endpoint in ${brand.name} for one event type when you add it to a scenario, and deletes the endpoint when you remove the webhook. The event types are:`,
    '',
    ...eventLines,
    '',
    'Every delivery becomes one bundle with `event_id`, `event_type`, `created_at` and `data`.',
    `${brand.name} retries a delivery that fails and keeps the same \`event_id\` on every retry, so deduplicate on \`event_id\` when a scenario must not run twice for one event.`,
    'Make cannot check the webhook signature; keep the webhook URL private.',
    '',
  ].join('\n');
}
