// Fails the build when a layer imports what it must not (see docs/architecture.md):
//  - only src/extension may import 'vscode';
//  - src/core and src/protocol stay free of DOM globals and of every other layer (core may use src/format);
//  - src/protocol may name core's shapes: `import type` (or `export type … from`) only, and only from a
//    core file named types.ts that declares nothing but types, so no core code reaches a webview;
//  - src/format (figures and escapers) imports nothing and is free of DOM globals;
//  - src/webview imports only src/protocol (and itself);
//  - src/cli and src/standin never import src/extension or src/webview.
// Imports are read with TypeScript's parser (multi-line imports, re-exports, import(), require()).
// `node scripts/check-layers.mjs [ROOT]` checks ROOT/src (default: this repository).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = process.argv[2]
  ? path.resolve(process.argv[2])
  : path.dirname(path.dirname(new URL(import.meta.url).pathname));
const layers = ['core', 'format', 'protocol', 'extension', 'webview', 'cli', 'standin'];
// src/format (how figures are shown, one escaper per output kind) is pure and imports nothing:
// every layer that prints may use it.
const allowed = {
  core: ['core', 'format'],
  format: ['format'],
  protocol: ['protocol'],
  extension: ['extension', 'core', 'format', 'protocol'],
  webview: ['webview', 'protocol', 'format'],
  cli: ['cli', 'core', 'format'],
  standin: ['standin'],
};
const domGlobals = /\b(window|document|HTMLElement|acquireVsCodeApi|localStorage|navigator)\b/;
const problems = [];

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name)) yield p;
  }
}

const parse = (file, text) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
const lineOf = (source, node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

/** Every module a file names, with its line and whether the reference is erased (types only). */
function moduleReferences(source) {
  const refs = [];
  const add = (literal, typeOnly) => refs.push({ spec: literal.text, line: lineOf(source, literal), typeOnly });
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier))
      // `import { type A }` is not erased as a whole under every setting: only `import type` counts.
      add(node.moduleSpecifier, node.importClause?.isTypeOnly === true);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      add(node.moduleSpecifier, node.isTypeOnly);
    else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    )
      add(node.moduleReference.expression, node.isTypeOnly);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      add(node.arguments[0], false);
    else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    )
      add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/** The file a relative specifier names (`./x` → x.ts or x/index.ts), or undefined. */
function resolveModule(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  return [base, `${base}.ts`, path.join(base, 'index.ts')].find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
}

/**
 * Why a core file may not be imported by src/protocol: not named types.ts, or it holds a statement
 * that is not a type (a const, a function, a class, an enum, a value import …). Empty when it may.
 */
const typesOnlyVerdicts = new Map();
const STATEMENT_WORDS = {
  [ts.SyntaxKind.VariableStatement]: 'a variable',
  [ts.SyntaxKind.FunctionDeclaration]: 'a function',
  [ts.SyntaxKind.ClassDeclaration]: 'a class',
  [ts.SyntaxKind.EnumDeclaration]: 'an enum',
  [ts.SyntaxKind.ImportDeclaration]: 'an import that is not `import type`',
  [ts.SyntaxKind.ExportDeclaration]: 'an export that is not `export type`',
};
function typesOnlyProblems(file) {
  if (typesOnlyVerdicts.has(file)) return typesOnlyVerdicts.get(file);
  const rel = path.relative(root, file);
  const found = [];
  if (path.basename(file) !== 'types.ts') found.push(`${rel} is not a core types.ts file`);
  else {
    const source = parse(file, fs.readFileSync(file, 'utf8'));
    for (const statement of source.statements) {
      const typeOnly =
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly === true) ||
        (ts.isExportDeclaration(statement) && statement.isTypeOnly);
      if (!typeOnly)
        found.push(
          `${rel}:${lineOf(source, statement)}: src/protocol imports this file, so it may declare only types (found ${STATEMENT_WORDS[statement.kind] ?? 'code'})`,
        );
    }
  }
  typesOnlyVerdicts.set(file, found);
  return found;
}

for (const layer of layers) {
  const dir = path.join(root, 'src', layer);
  if (!fs.existsSync(dir)) continue;
  for (const file of files(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const { spec, line, typeOnly } of moduleReferences(parse(file, text))) {
      if (spec === 'vscode' && layer !== 'extension')
        problems.push(`${rel}:${line}: '${layer}' must not import 'vscode'`);
      if (!spec.startsWith('.')) continue;
      const target = path.relative(path.join(root, 'src'), path.resolve(path.dirname(file), spec)).split(path.sep)[0];
      if (!target || !layers.includes(target) || allowed[layer].includes(target)) continue;
      if (layer === 'protocol' && target === 'core') {
        if (!typeOnly) {
          problems.push(`${rel}:${line}: 'protocol' may import from src/core only with \`import type\` (${spec})`);
          continue;
        }
        const resolved = resolveModule(file, spec);
        if (!resolved) problems.push(`${rel}:${line}: '${spec}' names no file`);
        else for (const why of typesOnlyProblems(resolved)) problems.push(`${rel}:${line}: ${why} (${spec})`);
        continue;
      }
      problems.push(`${rel}:${line}: '${layer}' must not import from src/${target} (${spec})`);
    }
    if (layer === 'core' || layer === 'protocol' || layer === 'format')
      text.split('\n').forEach((line, i) => {
        if (!/^\s*(\/\/|\*)/.test(line) && domGlobals.test(line.replace(/(['"`]).*?\1/g, '')))
          problems.push(`${rel}:${i + 1}: '${layer}' must not use DOM globals`);
      });
    if ((layer === 'core' || layer === 'protocol') && /\/\/\/\s*<reference\s+lib=["']dom/i.test(text))
      problems.push(`${rel}: '${layer}' must not reference the DOM lib`);
  }
}
if (problems.length) {
  console.error(`Layer check failed (${problems.length}):\n` + problems.map((p) => '  ' + p).join('\n'));
  process.exit(1);
}
console.log('layer check: ok');
