// Help texts. Plain strings, no engine imports: `promptlab --help` must stay instant.
import type { CommandName } from './args';

const overview = `promptlab — run and evaluate .prompt.yml files (GitHub Models format)

Usage:
  promptlab eval <files|dirs|globs…> [options]   run test cases and evaluators
  promptlab run <file> [--var name=value…]       stream one rendering of a prompt
  promptlab validate <files|dirs|globs…>         check prompt files, print problems
  promptlab compare <runA> <runB> [<runC>…]      compare stored runs case by case
  promptlab merge <run files…>                   combine the runs of eval --shard i/n into one
  promptlab eval --baseline <rev> <files…>       run a file as at a git revision and now, compare
  promptlab --version | --help | help <command>

Exit codes: 0 all passed / valid, 1 some test failed / file invalid,
2 could not run (bad input, config, endpoint), 130 interrupted.
Models map to endpoints through promptlab.config.yaml (see --config).`;

const commonFlags = `  --config FILE         provider config (default: promptlab.config.yaml in the current directory)
  --model ID            use this model instead of the file's \`model\`
  --debug               print stack traces for errors
  -q, --quiet           print only results and errors`;

const evalHelp = `Usage: promptlab eval <files|dirs|globs…> [options]

Runs every test case of each prompt file against its model, scores the replies with the
file's evaluators and prints a table (or JSON). Directories expand to their
*.prompt.yml / *.prompt.yaml files (recursively); globs are expanded by promptlab.

Options:
  --json                print results as gh-models JSON (one object; an array for several files)
  --junit FILE          also write a JUnit XML report
  --markdown FILE       also write a Markdown report (for PR comments)
  -c, --concurrency N   requests in flight at once (default 4)
  --repeat N            samples per test case (overrides the file's \`repeat\`)
  --runs-dir DIR        where run files are stored (default .promptlab/runs)
  --no-cache            neither read nor write the response cache (every request goes out)
  --batch               send the requests through the provider's Batch API (OpenAI, Azure OpenAI
                        global batch: about half the price, results within 24 h); Ctrl+C stops
                        waiting, the batch goes on, and --resume picks it up
  --resume RUN          go on with a stopped or killed --batch run (run id or file): reattach to
                        its batches, never submit them again
  --shard i/n           run only slice i of n of the cases (stable by case key); combine the
                        slices with \`promptlab merge\`
${commonFlags}

Exit codes: 0 every test passed, 1 some test failed, 2 could not run, 130 interrupted
(a --batch run stopped waiting: resume it with --resume).`;

const mergeHelp = `Usage: promptlab merge <run files…> [options]

Combines the runs of one prompt file's shards (eval --shard i/n, e.g. on a CI matrix) into one
stored run and one report, as if the suite had run on one machine. The runs must be of the same
prompt file at the same revision, with the same model and settings, and must not overlap.

Options:
  --json                print the merged results as gh-models JSON
  --junit FILE          also write a JUnit XML report
  --markdown FILE       also write a Markdown report (for PR comments)
  --runs-dir DIR        where run ids are looked up and the merged run is stored (default .promptlab/runs)
  --debug               print stack traces for errors
  -q, --quiet           print only results and errors

Exit codes: as eval: 0 every test passed, 1 some test failed, 2 could not run (or the runs do
not merge), 130 a shard was interrupted.`;

const runHelp = `Usage: promptlab run <file> [--var name=value…] [--case N] [options]

Renders the prompt once and streams the model's reply to stdout as it arrives.
Variables come from --var (repeatable), or from test case N (1-based) with --case.
Evaluators are not run; use \`promptlab eval\` for that.

Options:
  --var name=value      set a template variable (repeatable)
  --case N              take the variables from test case N of the file's testData
${commonFlags}`;

const validateHelp = `Usage: promptlab validate <files|dirs|globs…>

Checks prompt files the way \`eval\` reads them and prints each problem as
  file:line:col: severity: message [code]

Exit codes: 0 no errors (warnings allowed), 1 some file has errors, 2 no file found.`;

export function helpText(topic?: CommandName): string {
  switch (topic) {
    case 'eval':
      return evalHelp;
    case 'run':
      return runHelp;
    case 'validate':
      return validateHelp;
    case 'merge':
      return mergeHelp;
    default:
      return overview;
  }
}
