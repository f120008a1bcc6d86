// JSON parsing that reports WHERE it failed. Node 20's JSON.parse often gives no position
// ("Unexpected token '}', ... is not valid JSON"), so on failure a small scanner walks the text
// and stops at the first character that breaks the grammar.

export type JsonParse =
  { ok: true; value: unknown; elementSpans?: [number, number][] } | { ok: false; offset: number; message: string };

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** Parse JSON; on failure give the offset of the first bad character and a short reason. */
export function parseJson(text: string, options: { topLevelSpans?: boolean } = {}): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const located = locateJsonError(text);
    if (located) return { ok: false, offset: located.offset, message: located.message };
    const position = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    return {
      ok: false,
      offset: position ? Number(position[1]) : 0,
      message: e instanceof Error ? e.message : String(e),
    };
  }
  if (!options.topLevelSpans) return { ok: true, value };
  const scanner = new Scanner(text);
  return { ok: true, value, elementSpans: scanner.topLevelArraySpans() };
}

/** The first grammar error in `text`, or undefined when the text is valid JSON. */
export function locateJsonError(text: string): { offset: number; message: string } | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.parseAll();
    return undefined;
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { offset: e.offset, message: e.message };
    throw e;
  }
}

function describe(c: string | undefined): string {
  if (c === undefined) return 'end of text';
  if (c === '\n') return 'line break';
  return `'${c}'`;
}

class Scanner {
  private i = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseAll(): void {
    this.ws();
    this.value();
    this.ws();
    if (this.i < this.text.length) this.fail(`Unexpected ${describe(this.text[this.i])} after the JSON value`);
  }

  /** Spans of the elements of a top-level array (only called on valid JSON). */
  topLevelArraySpans(): [number, number][] | undefined {
    this.ws();
    if (this.text[this.i] !== '[') return undefined;
    this.i++;
    const spans: [number, number][] = [];
    this.ws();
    if (this.text[this.i] === ']') return spans;
    for (;;) {
      this.ws();
      const start = this.i;
      this.value();
      spans.push([start, this.i]);
      this.ws();
      if (this.text[this.i] === ',') {
        this.i++;
        continue;
      }
      return spans;
    }
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(this.i, message);
  }

  private ws(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i] ?? '')) this.i++;
  }

  private value(): void {
    if (++this.depth > 5000) this.fail('JSON nested too deeply');
    const c = this.text[this.i];
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else if (this.text.startsWith('true', this.i)) this.i += 4;
    else if (this.text.startsWith('false', this.i)) this.i += 5;
    else if (this.text.startsWith('null', this.i)) this.i += 4;
    else this.fail(c === undefined ? 'Unexpected end of JSON' : `Unexpected ${describe(c)}: expected a JSON value`);
    this.depth--;
  }

  private object(): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"')
        this.fail(`Expected a double-quoted property name, found ${describe(this.text[this.i])}`);
      this.string();
      this.ws();
      if (this.text[this.i] !== ':')
        this.fail(`Expected ':' after the property name, found ${describe(this.text[this.i])}`);
      this.i++;
      this.ws();
      this.value();
      this.ws();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return;
      }
      this.fail(`Expected ',' or '}' in object, found ${describe(c)}`);
    }
  }

  private array(): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      this.value();
      this.ws();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return;
      }
      this.fail(`Expected ',' or ']' in array, found ${describe(c)}`);
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail('Unterminated string');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c.charCodeAt(0) < 0x20) this.fail(`Control character ${describe(c)} inside a string (escape it)`);
      if (c === '\\') {
        const e = this.text[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
            this.i++;
            this.fail('Bad \\u escape');
          }
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.i++;
          this.fail(`Bad escape \\${e ?? ''}`);
        }
        this.i += 2;
        continue;
      }
      this.i++;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (!match || match[0] === '-' || match[0] === '') this.fail('Bad number');
    this.i += match[0].length;
    const next = this.text[this.i];
    if (next !== undefined && /[0-9.eE]/.test(next)) this.fail('Bad number');
  }
}
