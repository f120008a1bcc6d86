// `promptlab validate`: load each file exactly as `eval` would and print its diagnostics.
import { loadPromptFile } from '../../core';
import type { ValidateCommand } from '../args';
import { expandInputs } from '../files';
import { describeError, EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_OK, formatDiagnostic, processIo, type CliIo } from '../io';

export async function runValidateCommand(command: ValidateCommand, io: CliIo = processIo()): Promise<number> {
  let files: string[];
  try {
    files = await expandInputs(command.inputs, io.cwd);
  } catch (error) {
    io.stderr.write(`${describeError(error, io, command.debug)}\n`);
    return EXIT_CANNOT_RUN;
  }
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    let diagnostics;
    try {
      ({ diagnostics } = await loadPromptFile(file));
    } catch (error) {
      // loadPromptFile reports bad content as diagnostics; a throw means the file could not be read.
      io.stderr.write(`${describeError(error, io, command.debug)}\n`);
      errors++;
      continue;
    }
    const sorted = [...diagnostics].sort(
      (a, b) =>
        a.file.localeCompare(b.file) ||
        a.range.start.line - b.range.start.line ||
        a.range.start.column - b.range.start.column,
    );
    for (const diagnostic of sorted) {
      if (diagnostic.severity === 'error') errors++;
      else if (diagnostic.severity === 'warning') warnings++;
      if (command.quiet && diagnostic.severity !== 'error') continue;
      io.stdout.write(`${formatDiagnostic(diagnostic, io.cwd, io.out)}\n`);
    }
  }
  if (!command.quiet) {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const verdict = errors ? io.err.red(plural(errors, 'error')) : io.err.green('no errors');
    io.stderr.write(`${plural(files.length, 'file')} checked: ${verdict}, ${plural(warnings, 'warning')}\n`);
  }
  return errors ? EXIT_FAILED : EXIT_OK;
}
