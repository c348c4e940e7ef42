// Loads the generated TextMate grammar into the real VS Code engine (vscode-textmate +
// vscode-oniguruma) and checks the scopes it gives to .orch files:
//  1. every file: an independent reference lexer (below) classifies each character as
//     comment, string, interpolation delimiter or code, and each word as keyword, number
//     or duration; the grammar's scopes must agree;
//  2. files with assertion lines (`#  ^^^ scope`, `# <- scope`) must match them exactly.
// Usage: node textmate_test.mjs GRAMMAR TOKENS_DEF FILE...
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(here, '..', 'node_modules');
const vsctm = require(path.join(modules, 'vscode-textmate'));
const onig = require(path.join(modules, 'vscode-oniguruma'));

const [grammarPath, tokensDefPath, ...files] = process.argv.slice(2);
if (!grammarPath || !tokensDefPath || files.length === 0) {
  console.error('usage: node textmate_test.mjs GRAMMAR TOKENS_DEF FILE...');
  process.exit(2);
}

// Reserved words straight from the token table, so the test does not trust the generator.
const tokensDef = readFileSync(tokensDefPath, 'utf8');
const keywords = new Map();
for (const m of tokensDef.matchAll(/^ORCH_KEYWORD\(\w+,\s*"([^"]+)",\s*(\w+)\)/gm)) keywords.set(m[1], m[2]);
const units = [...tokensDef.matchAll(/^ORCH_DURATION_UNIT\(\w+,\s*"([^"]+)"/gm)].map((m) => m[1]);
if (keywords.size === 0 || units.length === 0) {
  console.error(`no keywords or duration units found in ${tokensDefPath}`);
  process.exit(2);
}
const keywordScope = { Declaration: 'keyword.declaration', Control: 'keyword.control',
  OperatorWord: 'keyword.operator.word', Literal: 'constant.language', Other: 'keyword.other' };

const wasm = readFileSync(path.join(modules, 'vscode-oniguruma', 'release', 'onig.wasm')).buffer;
await onig.loadWASM(wasm);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (sources) => new onig.OnigScanner(sources),
    createOnigString: (s) => new onig.OnigString(s),
  }),
  loadGrammar: async (scopeName) =>
    scopeName === 'source.orch'
      ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
      : null,
});
const grammar = await registry.loadGrammar('source.orch');

let failures = 0;
let checks = 0;
function fail(file, line, col, message) {
  failures++;
  if (failures <= 50) console.error(`${file}:${line + 1}:${col + 1}: ${message}`);
}

// Scopes of every column of a line.
function columnScopes(tokens, length) {
  const scopes = new Array(length).fill(null);
  for (const t of tokens) {
    for (let c = t.startIndex; c < Math.min(t.endIndex, length); c++) scopes[c] = t.scopes;
  }
  return scopes;
}
const has = (scopes, prefix) => scopes != null && scopes.some((s) => s.startsWith(prefix));

// The reference lexer: one class per column.
function classify(text) {
  const cls = new Array(text.length).fill('code');
  const stack = ['code'];  // code | string | interp | brace
  let i = 0;
  while (i < text.length) {
    const top = stack[stack.length - 1];
    const c = text[i];
    if (top === 'string') {
      if (c === '\\') { cls[i] = 'string'; if (i + 1 < text.length) cls[i + 1] = 'string'; i += 2; continue; }
      if (c === '"') { cls[i] = 'string'; stack.pop(); i++; continue; }
      if (c === '$' && text[i + 1] === '{') { cls[i] = cls[i + 1] = 'interp-begin'; stack.push('interp'); i += 2; continue; }
      cls[i] = 'string'; i++; continue;
    }
    const inInterp = stack.includes('interp');
    if (c === '#') { for (let j = i; j < text.length; j++) cls[j] = 'comment'; break; }
    if (c === '"') { cls[i] = 'string'; stack.push('string'); i++; continue; }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      const stop = end < 0 ? text.length : end + 1;
      for (let j = i; j < stop; j++) cls[j] = inInterp ? 'interp-code' : 'quoted';
      i = stop; continue;
    }
    if (c === '{') { stack.push('brace'); cls[i] = inInterp ? 'interp-code' : 'code'; i++; continue; }
    if (c === '}') {
      if (top === 'interp') { cls[i] = 'interp-end'; stack.pop(); i++; continue; }
      if (top === 'brace') stack.pop();
      cls[i] = inInterp ? 'interp-code' : 'code'; i++; continue;
    }
    cls[i] = inInterp ? 'interp-code' : 'code';
    i++;
  }
  return cls;
}

const expectedForClass = {
  comment: 'comment.', string: 'string.quoted.double.orch',
  'interp-begin': 'punctuation.section.interpolation.begin.orch',
  'interp-end': 'punctuation.section.interpolation.end.orch',
  'interp-code': 'meta.interpolation.orch', quoted: 'variable.other.quoted.orch',
};
const unitAlternation = [...units].sort((a, b) => b.length - a.length).join('|');
const durationRe = new RegExp(`(?<![\\w.])\\d+(?:\\.\\d+)?(?:${unitAlternation})\\b`, 'g');
const numberRe = /(?<![\w.])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/g;
const wordRe = /(?<![\w`])[A-Za-z_]\w*/g;

function checkReference(file, lineNo, text, scopes) {
  const cls = classify(text);
  for (let c = 0; c < text.length; c++) {
    const want = expectedForClass[cls[c]];
    if (!want || text[c] === ' ') continue;
    checks++;
    if (!has(scopes[c], want)) fail(file, lineNo, c, `expected ${want} on \`${text[c]}\`, got ${JSON.stringify(scopes[c])}`);
  }
  const isCode = (c) => cls[c] === 'code' || cls[c] === 'interp-code';
  for (const m of text.matchAll(wordRe)) {
    if (!isCode(m.index) || !keywords.has(m[0])) continue;
    if (text[m.index - 1] === '.' ) continue;  // a field named like a keyword after `.`
    const want = keywordScope[keywords.get(m[0])];
    checks++;
    if (!has(scopes[m.index], want)) fail(file, lineNo, m.index, `keyword \`${m[0]}\`: expected ${want}, got ${JSON.stringify(scopes[m.index])}`);
  }
  for (const m of text.matchAll(durationRe)) {
    if (!isCode(m.index)) continue;
    checks++;
    if (!has(scopes[m.index], 'constant.numeric.duration.orch')) fail(file, lineNo, m.index, `duration \`${m[0]}\`: got ${JSON.stringify(scopes[m.index])}`);
  }
  for (const m of text.matchAll(numberRe)) {
    if (!isCode(m.index)) continue;
    checks++;
    if (!has(scopes[m.index], 'constant.numeric.')) fail(file, lineNo, m.index, `number \`${m[0]}\`: got ${JSON.stringify(scopes[m.index])}`);
  }
}

const assertionRe = /^#(\s*)(\^+|<-)\s+(\S+)\s*$/;
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  let ruleStack = vsctm.INITIAL;
  let lastCode = null;  // { lineNo, text, scopes }
  lines.forEach((text, lineNo) => {
    const result = grammar.tokenizeLine(text, ruleStack);
    ruleStack = result.ruleStack;
    const scopes = columnScopes(result.tokens, text.length);
    const a = assertionRe.exec(text);
    if (a && lastCode) {
      const start = a[2] === '<-' ? 0 : 1 + a[1].length;
      const width = a[2] === '<-' ? 1 : a[2].length;
      for (let c = start; c < start + width; c++) {
        checks++;
        if (!has(lastCode.scopes[c], a[3])) {
          fail(file, lastCode.lineNo, c, `assertion on line ${lineNo + 1}: expected ${a[3]} on \`${lastCode.text[c] ?? ''}\`, got ${JSON.stringify(lastCode.scopes[c])}`);
        }
      }
      return;
    }
    checkReference(file, lineNo, text, scopes);
    lastCode = { lineNo, text, scopes };
  });
}

if (failures > 0) {
  console.error(`${failures} of ${checks} scope checks failed`);
  process.exit(1);
}
console.log(`${checks} scope checks passed in ${files.length} files`);
