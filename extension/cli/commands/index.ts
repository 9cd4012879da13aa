// The CLI's one registry table: add a command by adding its module here.
import type { CliCommand } from '../command';
import { inspectCommand } from './inspect';

export const COMMANDS: readonly CliCommand[] = [
  inspectCommand,
];
