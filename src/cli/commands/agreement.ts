// `promptlab agreement <run> [--grades FILE] [--json]`: load the run, the stored grades and the
// grades file, let core compute the agreement, print it. Exit 2 when no case is graded.
import fs from 'node:fs/promises';
import path from 'node:path';
import { computeAgreement, GradeIndex, GradeStore, mergeGraded, parseGradesFile, type GradedSample } from '../../core';
import { PromptLabError } from '../../core/errors';
import type { AgreementCommand } from '../args';
import { displayPath, runReference, runStoreOf } from '../files';
import { agreementJson, formatAgreementText } from '../format/agreement';
import { EXIT_CANNOT_RUN, EXIT_OK, processIo, reportErrors, type CliIo } from '../io';

export function runAgreementCommand(command: AgreementCommand, io: CliIo = processIo()): Promise<number> {
  return reportErrors(io, command.debug, () => agreement(command, io));
}

async function agreement(command: AgreementCommand, io: CliIo): Promise<number> {
  const run = await runStoreOf(command, io).load(runReference(command.run, io));
  const warnings: string[] = run.warnings.map((w) => `${displayPath(run.file, io.cwd)}: ${w}`);

  const gradeStore = new GradeStore(GradeStore.defaultFile(io.cwd));
  const stored = await gradeStore.load();
  warnings.push(...stored.warnings.map((w) => relativeWarning(w, gradeStore.file, io.cwd)));
  const fromStore = new GradeIndex(stored.grades).forRun(run.header, run.cases, displayPath(gradeStore.file, io.cwd));

  let fromFile: GradedSample[] = [];
  if (command.grades !== undefined) {
    const file = path.resolve(io.cwd, command.grades);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file'
          : error instanceof Error
            ? error.message
            : String(error);
      throw new PromptLabError(`cannot read the grades file: ${reason}`, 'input', { file });
    }
    const parsed = parseGradesFile(displayPath(file, io.cwd), text, run);
    fromFile = parsed.graded;
    warnings.push(...parsed.warnings);
  }
  if (!command.quiet) for (const w of warnings) io.stderr.write(`promptlab: ${io.err.yellow('warning')}: ${w}\n`);

  const graded = mergeGraded(fromStore, fromFile);
  const info = {
    runId: run.id,
    promptFile: run.header.promptFileRelative ?? displayPath(run.header.promptFile, io.cwd),
  };
  if (graded.length === 0) {
    const where =
      command.grades !== undefined
        ? `neither ${displayPath(gradeStore.file, io.cwd)} nor ${command.grades} grades`
        : `${displayPath(gradeStore.file, io.cwd)} grades none of`;
    io.stderr.write(
      `promptlab: ${io.err.red('error')}: no graded cases: ${where} the outputs of run ${run.id}\n` +
        `  hint: grade outputs in the editor's run panel, or pass --grades FILE with rows case,grade[,note] (grade pass, fail or 1-5)\n`,
    );
    return EXIT_CANNOT_RUN;
  }
  const report = computeAgreement(run.cases, graded);
  if (command.json) io.stdout.write(agreementJson(info, report, warnings));
  else io.stdout.write(formatAgreementText(info, report, run.header.repeat > 1, io.out));
  return EXIT_OK;
}

/** Store warnings name the absolute file; show it as the user would type it. */
function relativeWarning(warning: string, file: string, cwd: string): string {
  return warning.startsWith(file) ? displayPath(file, cwd) + warning.slice(file.length) : warning;
}
