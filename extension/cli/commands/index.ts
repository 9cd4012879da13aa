// The CLI's one registry table: add a command by adding its module here.
import type { CliCommand } from '../command';
import { checkCommand, inspectCommand } from './inspect';
import { checkModelCommand } from './checkModel';
import { predictCommand } from './predict';

export const COMMANDS: readonly CliCommand[] = [
  inspectCommand,
  checkCommand,
  checkModelCommand,
  predictCommand,
];
