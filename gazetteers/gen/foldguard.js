'use strict';
// Apply the fold-key guard (common.js guardRows) to hand-curated files in
// place: one-word PER/LOC rows whose fold key equals an English word's get
// case=exact and an ALL-CAPS exact twin on the next line.  Idempotent.
// Usage: node foldguard.js ../people.tsv ../regions.tsv
const fs = require('fs');
const { guardRows } = require('./common');
for (const f of process.argv.slice(2)) {
  const lines = fs.readFileSync(f, 'utf8').replace(/\n$/, '').split('\n');
  const out = [];
  let added = 0;
  const all = lines.filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
  const have = new Set(all.map((r) => r[0] + '\t' + r[1]));
  for (const l of lines) {
    if (!l || l.startsWith('#')) { out.push(l); continue; }
    const r = l.split('\t');
    const g = guardRows([r]);
    for (const x of g) {
      if (x !== g[0] && have.has(x[0] + '\t' + x[1])) continue;
      if (x !== g[0]) { added++; have.add(x[0] + '\t' + x[1]); }
      out.push(x.join('\t'));
    }
  }
  fs.writeFileSync(f, out.join('\n') + '\n');
  process.stderr.write(f.replace(/.*\//, '') + ': fold guard added ' + added + ' ALL-CAPS twins\n');
}
