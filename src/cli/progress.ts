// A one-line progress indicator on stderr, only when stderr is a terminal (never in CI logs
// or when stderr is piped). It counts events for display; verdicts stay with core.
// When the provider holds the run back (rate limits), the line says so; without a terminal one
// plain line says it once per file, so a slow CI log explains itself.
import type { RunEvent } from '../core/run/types';
import { describeThrottle, type ThrottleState } from '../core/schedule/scheduler';

export class Progress {
  private label = '';
  private total = 0;
  private done = 0;
  private lastDraw = 0;
  private throttle: ThrottleState | undefined;
  private noticed = false;
  private readonly active: boolean;
  private readonly notices: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    enabled: boolean,
  ) {
    this.active = enabled && stream.isTTY === true;
    this.notices = enabled && !this.active;
  }

  begin(label: string): void {
    this.label = label;
    this.total = 0;
    this.done = 0;
    this.throttle = undefined;
    this.noticed = false;
    this.draw(true);
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'throttle') {
      this.onThrottle(event.state);
      return;
    }
    if (!this.active) return;
    if (event.type === 'run-started') this.total = event.header.caseCount;
    else if (event.type === 'case-finished' || event.type === 'case-failed') this.done++;
    else return;
    this.draw(this.done === this.total);
  }

  end(): void {
    if (this.active) this.stream.write('\r\u001b[K');
  }

  private onThrottle(state: ThrottleState): void {
    const flipped = (this.throttle?.limited ?? false) !== state.limited;
    this.throttle = state;
    if (this.notices && state.limited && !this.noticed) {
      this.noticed = true;
      this.stream.write(
        `promptlab: ${this.label}: ${state.endpointOrigin} is rate limiting; slowing down and retrying (429s are not failures)\n`,
      );
    }
    this.draw(flipped);
  }

  private draw(force: boolean): void {
    if (!this.active) return;
    // Redraw at most ~20 times a second: a fast cached run finishes thousands of cases.
    const now = Date.now();
    if (!force && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    const counts = this.total ? ` ${this.done}/${this.total} cases` : '';
    const held = describeThrottle(this.throttle);
    const width = Math.max(20, (this.stream.columns || 80) - 1); // 0 when the terminal size is unknown
    this.stream.write(`\r\u001b[K${`running ${this.label}${counts}${held ? ` · ${held}` : ''}`.slice(0, width)}`);
  }
}
