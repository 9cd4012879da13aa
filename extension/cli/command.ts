// One CLI sub-command: parses its own arguments, writes through `io`, returns the exit code.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `flare --help`. */
  readonly summary: string;
  /** Full usage text for `flare <name> --help`. */
  readonly usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
