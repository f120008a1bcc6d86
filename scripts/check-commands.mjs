// Fails when package.json and the code disagree about command ids:
//  - the one id table (src/extension/commands/ids.ts `Commands`) lists exactly the commands declared
//    in contributes.commands (plus INTERNAL ones);
//  - every declared command has exactly one unit (`command(Commands.x, …)`) or a direct
//    registerCommand / registerTextEditorCommand call, and nothing registers an undeclared id;
//  - every command used in menus and keybindings is declared (or is a built-in `workbench.`/`editor.` id).
// Ids may be written as string literals or as properties of a const object (Commands.runPrompt).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
/** Registered on purpose without a package.json entry (invoked only by code, e.g. from a webview or a CodeLens). */
const INTERNAL = new Set([]);

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const declared = new Set((pkg.contributes?.commands ?? []).map((c) => c.command));
const problems = [];

function* tsFiles(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) yield p;
  }
}

const sources = [...tsFiles(path.join(root, 'src'))].map((file) =>
  ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
);
const stringOf = (node) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
const unwrap = (node) => {
  while (node && (ts.isAsExpression(node) || ts.isSatisfiesExpression?.(node) || ts.isParenthesizedExpression(node)))
    node = node.expression;
  return node;
};

// const NAME = 'id'  and  const NAME = { key: 'id', … }
const constStrings = new Map();
const constObjects = new Map();
for (const sf of sources) {
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = unwrap(node.initializer);
      const text = stringOf(init);
      if (text !== undefined) constStrings.set(node.name.text, text);
      else if (init && ts.isObjectLiteralExpression(init)) {
        const props = new Map();
        for (const p of init.properties)
          if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
            const value = stringOf(unwrap(p.initializer));
            if (value !== undefined) props.set(p.name.text, value);
          }
        constObjects.set(node.name.text, props);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const REGISTRY = path.join('src', 'extension', 'commands', 'registry.ts');
const registered = new Map();
for (const sf of sources) {
  const file = path.relative(root, sf.fileName);
  const visit = (node) => {
    const callee = ts.isCallExpression(node) ? node.expression : undefined;
    const direct =
      callee &&
      ts.isPropertyAccessExpression(callee) &&
      ['registerCommand', 'registerTextEditorCommand'].includes(callee.name.text);
    const unit = callee && ts.isIdentifier(callee) && callee.text === 'command';
    // The registry registers every unit by its id; the units themselves are checked below.
    if ((direct && file !== REGISTRY) || unit) {
      const arg = unwrap(node.arguments[0]);
      const where = `${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      let id = stringOf(arg);
      if (id === undefined && arg && ts.isIdentifier(arg)) id = constStrings.get(arg.text);
      if (id === undefined && arg && ts.isPropertyAccessExpression(arg) && ts.isIdentifier(arg.expression))
        id = constObjects.get(arg.expression.text)?.get(arg.name.text);
      if (id === undefined)
        problems.push(
          `${where}: cannot resolve the command id '${arg?.getText(sf)}' (use a string literal or a const object property)`,
        );
      else if (registered.has(id))
        problems.push(`${where}: '${id}' is registered twice (also at ${registered.get(id)})`);
      else registered.set(id, where);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const table = constObjects.get('Commands');
if (!table) problems.push('src/extension/commands/ids.ts: the `Commands` id table is missing');
const tableIds = new Set(table?.values() ?? []);
for (const id of declared)
  if (table && !tableIds.has(id))
    problems.push(`package.json declares '${id}' but the Commands table does not list it`);
for (const id of tableIds)
  if (!declared.has(id) && !INTERNAL.has(id))
    problems.push(`the Commands table lists '${id}' but package.json does not declare it`);

for (const id of declared)
  if (!registered.has(id)) problems.push(`package.json declares '${id}' but no code registers it`);
for (const [id, where] of registered)
  if (!declared.has(id) && !INTERNAL.has(id))
    problems.push(
      `${where}: '${id}' is registered but not declared in package.json contributes.commands (or listed as INTERNAL)`,
    );
const builtin = (id) => /^(workbench|editor|vscode|testing|git)\./.test(id);
for (const [menu, entries] of Object.entries(pkg.contributes?.menus ?? {}))
  for (const entry of entries)
    if (entry.command && !declared.has(entry.command) && !builtin(entry.command))
      problems.push(`menu '${menu}' uses undeclared command '${entry.command}'`);
for (const kb of pkg.contributes?.keybindings ?? [])
  if (!declared.has(kb.command) && !builtin(kb.command))
    problems.push(`keybinding ${kb.key} uses undeclared command '${kb.command}'`);

if (problems.length) {
  console.error(`Command check failed (${problems.length}):\n` + problems.map((p) => '  ' + p).join('\n'));
  process.exit(1);
}
console.log(`command check: ok (${declared.size} declared, ${registered.size} registered)`);
