// Help texts. Plain strings, no engine imports: `promptlab --help` must stay instant.
import type { CommandName } from './args';

const overview = `promptlab — run and evaluate .prompt.yml files (GitHub Models format)

Usage:
  promptlab eval <files|dirs|globs…> [options]   run test cases and evaluators
  promptlab run <file> [--var name=value…]       stream one rendering of a prompt
  promptlab validate <files|dirs|globs…>         check prompt files, print problems
  promptlab compare <runA> <runB> [<runC>…]      compare stored runs case by case
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
  --max-wait DURATION   how long one case may wait on rate limits and retries before it
                        fails (default 10m; e.g. 600, 90s, 10m, 1h; 0: never wait)
  --fail-fast           no retries; stop starting cases after the first one whose request fails
${commonFlags}

Rate limits are flow control: a 429 slows the run down (fewer requests in flight, a shared
pause when the server says its limit is used up) and the request is retried; 5xx answers and
dropped connections are retried up to 3 times (the provider's maxRetries).

Exit codes: 0 every test passed, 1 some test failed, 2 could not run.`;

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
    default:
      return overview;
  }
}
