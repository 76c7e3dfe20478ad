'use strict';
// Generate gazetteers/givennames.tsv (type GIVEN) from npm humannames plus a
// hand list of common South/West Asian given names (common.js COMMON_GIVEN and
// EXTRA below).  Drops names that are lower-case English dictionary words
// (wamerican), rank/title words, org acronyms, country and admin1 names and
// big city names (so a rule never reads "Jordan" or "Georgia" as a person).
// Usage: node givennames.js > ../givennames.tsv   (deterministic)

const fs = require('fs');
const { fold, words, loadDict, readTsv, cmp, STOP_WORDS, COMMON_GIVEN } = require('./common');

const EXTRA = `
Abdolrahim Abdolrahman Abdolreza Abdolkarim Abdolhossein Abdolali Abdolnaser Abdulrahim Abdurrahman
Aziz Azizollah  Amirali Amir-Ali Mohammadreza Mohammad-Reza Mohammadali Mohammad-Ali
Mohammadhossein Mohammad-Hossein Mohammadbagher Mohammad-Bagher Gholamali Gholamreza Gholamhossein
Esmaeil Esmaeel Ismaeel Qasem Ghasem Qassem Kioumars Kiumars Alireza Ali-Reza Hamidreza Hamid-Reza
Masoud Massoud Ebrahim Ibraheem Abbasali Hojjat Hojatollah Ruhollah Rouhollah Habibollah 
Nadeem Naveed Navid Zaheer Sahir Shamshad Qamar Raheel Asim Babar Iftikhar Ishaq Shehbaz Shahbaz
Bilawal Khawaja Khwaja Ahsan Ahsen Mohsin Mohsen Mohsen Tariq Pervaiz Parvez Ayaz Ayyaz Waqas Saqib
Zulfiqar Zulfikar Benazir Maryam Marriyum Sherry  Faizan Faiz Faiz Hameed Sarfraz Sarfaraz
Kashif Khurram Nauman Noman Owais Uzair Zubair Rizwan Rehan Raihan Shoaib Sohaib Suhaib Talha Umair
Yasin Yaseen Zeeshan Zahoor Zulfi Anas Hamid Abid Amjad Arshad Asad Atif Azhar Fahim Farhan Fawad
Ghazanfar Haris Ijaz Imtiaz Ishtiaq Javaid Kamran Khalil Mazhar Mushtaq Nisar Rana Riaz Saad Sajjad
Shafiq Shafqat Shakeel Shaukat Shujaat Tanveer Tauqir Waheed Wajid Zubair Ejaz Aijaz Nazir Nazeer
Abdul-Hamid Abdulhamid Abdulaziz Abdul-Aziz Abdulrahman Abdul-Rahman Abdullahi Faisal Turki Bandar
Nayef Naif Mutaib Tamim Hamad Jassim Jasim Mohammed Khalifa Zayed Mansour Tahnoun Tahnoon Sultan Haitham
Qaboos Badr Faisal Ayman Anwar Hosni Abdel-Fattah Abdelfattah Fattah Recep Tayyip Hakan Hulusi
Yasar Yaşar Mevlut Mevlüt Binali Devlet Kemal  Ozgur Özgür Ekrem Hulusi Selcuk Selçuk
Benjamin Binyamin Yoav Benny Gadi Herzi Aviv Yisrael Yitzhak Naftali Avigdor Gideon Eyal Itamar
Bezalel Tzachi Yariv Moshe Ehud Ariel Shaul Tzipi Ayelet Yoel Isaac Yair Dror Amir Avi Avraham
Hakeem Hakim Nouri Nuri Haider Hayder Adil Adel  Mustafa  Fuad Fuad Masrour Nechirvan
Bashar Hafez Asma Maher Ahmad  Hashem Najib Nabih Michel Naim Hassan  Ismail Yahya
Khaled Saleh Mahmoud Marwan Mohammed Hamdan Abdulmalik Abdul-Malik  Rashad Aidarous Aidarus
Ashraf Hamid Hamidullah Hibatullah Haibatullah Sirajuddin Siraj Amir    Yaqoob Yaqub
Zabihullah Zabiullah Abdul Ghani    Ataullah Ata Rahmatullah Abdul Rashid 
Narendra Rajnath Amit Subrahmanyam  Ajit  Bipin Manoj Upendra  Anil 
Vivek Vikram  Dinesh  Amar Preet Ashok Mahesh Ramesh Rahul Sonia Priyanka Mallikarjun
Xi  Wang Yi Dong Jun Li   Wei  Zhang  Vladimir Sergei Sergey Dmitry
Andrei Andrey Valery Valeriy Yevgeny Yevgeniy Mikhail Viktor Volodymyr Oleksandr Oleksii Rustem
Kyrylo Valerii Denys Andriy Dmytro Petro
`.split(/\s+/).filter(Boolean);

const dict = loadDict();
// hard: never a given name, even if hand-listed; soft: hand list may override
const hard = new Set();
const block = new Set(STOP_WORDS.map(fold));
for (const r of readTsv('ranks.tsv')) hard.add(fold(r.surface));
for (const r of readTsv('orgs.tsv')) if (/case=exact/.test(r.attrs)) hard.add(fold(r.surface));
for (const r of readTsv('orgs.tsv')) if (words(r.surface).length === 1) block.add(fold(r.surface));
for (const r of readTsv('regions.tsv')) if (words(r.surface).length === 1) hard.add(fold(r.surface));
// places: countries and admin1 always (hard), cities from 100k people up
for (const r of readTsv('places.tsv')) {
  const pop = +((r.attrs.match(/pop=(\d+)/) || [])[1] || 0);
  if (/kind=(country|admin1)/.test(r.attrs)) hard.add(fold(r.surface));
  else if (pop >= 100000) block.add(fold(r.surface));
}
// Nationality words are no given names ("Thai officials", "Saudi officers").
for (const c of require('world-countries')) {
  for (const d of Object.values((c.demonyms && c.demonyms.eng) || {})) {
    if (words(d).length === 1) hard.add(fold(d));
  }
}
// Titles and non-names that the list must not contain even if curated.
const NEVER = new Set(['sheikh', 'mullah', 'ayatollah', 'hezbollah', 'houthi', 'khan', 'singh', 'kumar',
  'mawlawi', 'sultan', 'emir', 'amir', 'haji', 'hajji', 'mian', 'pir', 'sardar', 'agha', 'aga', 'begum', 'sahib', 'bibi', 'baba', 'ibn', 'bin', 'abd', 'umm', 'abu'].map(fold));
// Hand-curated names the filters must not remove (they are names first).
const KEEP = new Set([...COMMON_GIVEN, ...EXTRA].map(fold));
for (const k of NEVER) KEEP.delete(k);

const hn = require('humannames');
const out = new Map();
let dropped = { dict: 0, block: 0, shape: 0 };
function consider(name, curated) {
  const n = name.trim();
  if (!/^\p{Lu}[\p{L}'’-]*\p{L}$/u.test(n) || n.length < 2) { dropped.shape++; return; }
  if (/\p{Lu}/u.test(n.slice(1)) && !/[-'’]\p{Lu}/u.test(n)) { dropped.shape++; return; } // McX, camel
  const f = fold(n);
  if (NEVER.has(f) || hard.has(f)) { dropped.block++; return; }
  if (dict.has(f) || (f.endsWith('s') && dict.has(f.slice(0, -1)) && !(curated && KEEP.has(f)))) { dropped.dict++; return; }
  if (!(curated && KEEP.has(f))) {
    if (n.length < 3) { dropped.shape++; return; }
    if (block.has(f)) { dropped.block++; return; }
  }
  if (!out.has(f)) out.set(f, n);
}
for (const n of Object.keys(hn).sort(cmp)) consider(n, false);
for (const n of [...COMMON_GIVEN, ...EXTRA].sort(cmp)) consider(n, true);

const lines = [];
lines.push('# givennames.tsv: given (first) names, type GIVEN, for PER rules.');
lines.push('# GENERATED by gazetteers/gen/build.sh (gen/givennames.js); do not edit by hand.');
lines.push('# Sources: npm humannames (MIT; note it mixes first and last names) plus');
lines.push('# a hand list of South/West Asian and other common given names (MIT).');
lines.push('# Filtered: lower-case English words (wamerican), ranks/titles, org');
lines.push('# acronyms, country/admin1 names, cities >= 100k people. See README.');
lines.push('# surface\ttype\tcanonical\tattrs');
for (const [f, n] of [...out.entries()].sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]))) {
  lines.push([n, 'GIVEN', '', 'case=title'].join('\t'));
}
process.stdout.write(lines.join('\n') + '\n');
process.stderr.write('givennames: ' + out.size + ' rows; dropped ' + JSON.stringify(dropped) + '\n');
