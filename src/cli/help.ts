// Help texts. Plain strings, no engine imports: `promptlab --help` must stay instant.
import type { CommandName } from './args';

const overview = `promptlab — run and evaluate .prompt.yml files (GitHub Models format)

Usage:
  promptlab eval <files|dirs|globs…> [options]   run test cases and evaluators
  promptlab run <file> [--var name=value…]       stream one rendering of a prompt
  promptlab validate <files|dirs|globs…>         check prompt files, print problems
  promptlab init [dir] [--provider NAME]         write a config routing every model the files call
  promptlab generate <file> [--count N]          append model-written test cases to a file
  promptlab estimate <files|dirs|globs…>         requests, tokens and cost of a run, sending nothing
  promptlab compare <runA> <runB> [<runC>…]      compare stored runs case by case
  promptlab merge <run files…>                   combine the runs of eval --shard i/n into one
  promptlab eval --baseline <rev> <files…>       run a file as at a git revision and now, compare
  promptlab agreement <run> [--grades FILE]      how far each evaluator agrees with human grades
  promptlab --version | --help | help <command>

Exit codes: 0 all passed / valid, 1 some test failed / file invalid,
2 could not run (bad input, config, endpoint), 130 interrupted.
Models map to endpoints through promptlab.config.yaml (see --config).`;

const commonFlags = `  --config FILE         provider config (default: promptlab.config.yaml in the current directory)
  --model ID            use this model instead of the file's \`model\` (every file)
  --default-model ID    use this model for files that name none (config: defaultModel)
  --allow-key VAR=HOST  let the key in env variable VAR go to HOST, which the config names
                        (repeatable; also PROMPTLAB_ALLOW_KEYS; see docs/providers.md, Keys)
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
  --max-wait DURATION   how long one case may wait on rate limits and retries before it
                        fails (default 10m; e.g. 600, 90s, 10m, 1h; 0: never wait)
  --fail-fast           no retries; stop starting cases after the first one whose request fails
  --resume RUN          complete a stored run (id or run file): a run with pending provider
                        batches reattaches to them (never submits them again); any other run
                        keeps every case that has a reply, runs only the missing and errored
                        ones and appends them to that run
  --shard i/n           run only slice i of n of the cases (stable by case key); combine the
                        slices with \`promptlab merge\`
  --max-cost USD        spend at most USD on this invocation: no request starts once what was
                        spent plus the worst case of the requests in flight would pass it; cases
                        left are reported as "not run: budget" (exit code 1)
${commonFlags}

Rate limits are flow control: a 429 slows the run down (fewer requests in flight, a shared
pause when the server says its limit is used up) and the request is retried; 5xx answers and
dropped connections are retried up to 3 times (the provider's maxRetries).

A file that cannot run (invalid, no model) is reported as file:line:col and the others still run.
Exit codes: 0 every test passed, 1 some test failed or was not run (--max-cost), 2 some file
could not run (or nothing could be evaluated, or --fail-fast stopped the run), 130 interrupted
(a --batch run that stopped waiting: finish it with --resume).`;

const estimateHelp = `Usage: promptlab estimate <files|dirs|globs…> [options]

Prints what \`promptlab eval\` would send and what it may cost, without sending anything:
requests (cases × repeats, plus judge and embedding calls), input tokens counted with the
model's tokenizer (o200k_base / cl100k_base for OpenAI models, "approximate" otherwise), the
output-token bound per request (maxTokens, else the longest reply of recent runs of the file,
else 1,024 assumed) and a cost range, with the source and date of each price.

Options:
  --json                print the estimate as JSON (one object; an array for several files)
  --repeat N            samples per test case (overrides the file's \`repeat\`)
  --runs-dir DIR        where past runs are read from (default .promptlab/runs)
${commonFlags}

Exit codes: 0 estimated, 2 some file could not be estimated.`;

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

const agreementHelp = `Usage: promptlab agreement <run> [--grades FILE] [--json]

For every evaluator of a stored run (its id, or the path of its run file), compares the
evaluator's verdicts with human grades: the grades stored in .promptlab/grades.jsonl for the
same case and reply text, and/or the rows of a grades file. Prints the number of graded
cases n, raw agreement, Cohen's kappa with a 95 % interval (analytic, Fleiss–Cohen–Everitt
standard error), the 2x2 confusion matrix, Spearman's rank correlation for 1-5 scores and
the disagreements by case number. Fewer than 10 grades are reported as too few.

Grades file: CSV \`case,grade[,note]\` (an optional header row may add a \`revision\` column)
or JSONL {"case": 3, "grade": "pass", "note": "…"}; case is the 1-based number the eval table
shows (3, or 3.2 for sample 2 when the run repeats); grade is pass, fail or a score 1-5.
Bad rows are named with file and line and skipped; the other rows still count.

Options:
  --grades FILE         also use the grades in FILE (.csv, or .jsonl/.ndjson); its rows win
  --runs-dir DIR        where run files are stored (default .promptlab/runs)
  --json                print {evaluators: [{name, n, agreement, kappa, kappaInterval, confusion, disagreements, …}]}
  --debug               print stack traces for errors
  -q, --quiet           no warnings about skipped rows

Exit codes: 0 report printed, 2 no graded case (or the run or file cannot be read).`;

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
    case 'estimate':
      return estimateHelp;
    case 'agreement':
      return agreementHelp;
    default:
      return overview;
  }
}
