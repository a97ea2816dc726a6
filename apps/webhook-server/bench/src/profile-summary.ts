// Summarises a V8 CPU profile written by `run.js --cpu-prof DIR`: self time by package or server file, and the
// functions with the most self time. Usage: node bench/dist/profile-summary.js FILE.cpuprofile [--top N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds between consecutive samples. */
  timeDeltas: number[];
}

const NOT_RUNNING = new Set(['(idle)']);

/** Groups a script URL by npm package, server file or Node.js internals. */
function areaOf(url: string, functionName: string): string {
  if (url === '') {
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  if (url.startsWith('node:')) {
    return `node:${url.slice('node:'.length).split('/')[0]}`;
  }
  const pnpmPackage = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pnpmPackage?.[1]) {
    return pnpmPackage[1];
  }
  const plainPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (plainPackage?.[1]) {
    return plainPackage[1];
  }
  const serverFile = /apps\/webhook-server\/(dist\/.+)$/.exec(url);
  if (serverFile?.[1]) {
    return `server ${serverFile[1]}`;
  }
  const clientFile = /packages\/api-client\/(dist\/.+)$/.exec(url);
  return clientFile?.[1] ? `api-client ${clientFile[1]}` : url;
}

function summarise(profile: CpuProfile, top: number): string {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let runningMicros = 0;
  let idleMicros = 0;

  profile.samples.forEach((nodeId, index) => {
    const node = nodes.get(nodeId);
    const micros = profile.timeDeltas[index] ?? 0;
    if (!node) {
      return;
    }
    const { functionName, url, lineNumber } = node.callFrame;
    if (NOT_RUNNING.has(functionName)) {
      idleMicros += micros;
      return;
    }
    runningMicros += micros;
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + micros);
    const name = `${functionName || '(anonymous)'} ${area}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  });

  const table = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, micros]) =>
          `${((micros / runningMicros) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`,
      )
      .join('\n');

  return [
    `busy ${(runningMicros / 1000).toFixed(0)} ms, idle ${(idleMicros / 1000).toFixed(0)} ms`,
    '',
    'self time by area:',
    table(byArea),
    '',
    'self time by function:',
    table(byFunction),
  ].join('\n');
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { top: { type: 'string', default: '25' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error('Usage: node bench/dist/profile-summary.js FILE.cpuprofile [--top N]');
  process.exitCode = 1;
} else {
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`== ${file}\n${summarise(profile, Number(values.top))}\n`);
  }
}
