// `flare` — the command-line face of the extension: the same mesh I/O, model and runtime modules, no `vscode`.
import { COMMANDS } from './commands/index';
import type { CliIo } from './command';

declare const __FLARE_VERSION__: string;
const VERSION = typeof __FLARE_VERSION__ === 'string' ? __FLARE_VERSION__ : 'dev';

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION + '\n');
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`flare: unknown command '${name}'\n\n` + helpText());
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return 0;
  }
  return cmd.run(rest, io);
}

function helpText(): string {
  const width = Math.max(8, ...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [`flare ${VERSION} — FLARE neural-surrogate tools for meshes and solver decks`, '', 'Usage: flare <command> [options]', '', 'Commands:', ...lines, '', 'Run `flare <command> --help` for the options of one command.', ''].join('\n');
}

const stdio: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

// Only run when executed directly (dist/cli.js), not when imported by tests.
if (require.main === module) {
  main(process.argv.slice(2), stdio).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => { process.stderr.write(`flare: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`); process.exitCode = 70; },
  );
}
