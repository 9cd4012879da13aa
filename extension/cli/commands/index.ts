// The CLI's one registry table: add a command by adding its module here.
import type { CliCommand } from '../command';

export const COMMANDS: readonly CliCommand[] = [
];
