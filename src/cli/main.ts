import fs from 'node:fs';
import { CommanderError } from 'commander';
import dotenv from 'dotenv';
import { cliEnv } from './context';
import { CliError } from './errors';
import { buildProgram } from './program';

/** The CLI's only contact with the process: environment, arguments, output streams, exit code. */
async function main(): Promise<number> {
  // Like the server: an optional .env in the working folder, never overriding the real environment.
  if (fs.existsSync('.env')) dotenv.config({ path: '.env', quiet: true });
  const program = buildProgram(
    {
      env: cliEnv(process.env),
      cwd: process.cwd(),
      now: () => new Date(),
      out: (text) => process.stdout.write(text),
      untilStopped: () =>
        new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        }),
    },
    { writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text) },
  );
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (err) {
    // Commander has already printed its own message (or the help).
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      process.stderr.write(`switchboard: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return err.exitCode;
    }
    process.stderr.write(`switchboard: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

void main().then((code) => {
  // Set, not exit(): stdout may still be draining into a pipe.
  process.exitCode = code;
});
