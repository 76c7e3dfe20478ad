'use strict';
// Generate gazetteers/ranks.tsv (type RANK) from the hand-curated rank table
// below.  The table is the source; the spelling/abbreviation/punctuation
// variants are expanded systematically so that `Maj Gen`, `Maj. Gen.`,
// `Maj.-Gen.`, `Major-General` ... each get their own row (the matcher
// compares token sequences, so each is a different key).
// Usage: node ranks.js > ../ranks.tsv   (deterministic)

const { fold, cmp } = require('./common');

// Forms of each word that occurs in a rank: full word first, then the
// abbreviations used in English-language news and service style guides.
const FORMS = {
  Lieutenant: ['Lieutenant', 'Lt', 'Lt.', 'Lieut', 'Lieut.', 'Lieutenent'],
  Major: ['Major', 'Maj', 'Maj.'],
  General: ['General', 'Gen', 'Gen.', 'Genl', 'Genl.'],
  Brigadier: ['Brigadier', 'Brig', 'Brig.'],
  Colonel: ['Colonel', 'Col', 'Col.'],
  Admiral: ['Admiral', 'Adm', 'Adm.', 'Adml', 'Adml.'],
  Vice: ['Vice'],
  Rear: ['Rear'],
  Marshal: ['Marshal', 'Mshl', 'Mshl.'],
  Commodore: ['Commodore', 'Cdre', 'Cdre.', 'Cmdre', 'Commo', 'Commo.'],
  Commander: ['Commander', 'Cdr', 'Cdr.', 'Cmdr', 'Cmdr.', 'Comdr', 'Comdr.'],
  Captain: ['Captain', 'Capt', 'Capt.', 'Cpt', 'Cpt.'],
  Second: ['Second', '2nd'],
  First: ['First', '1st'],
  Group: ['Group', 'Gp', 'Gp.', 'Grp'],
  Wing: ['Wing', 'Wg', 'Wg.'],
  Squadron: ['Squadron', 'Sqn', 'Sqn.', 'Sqdn', 'Sqdn.'],
  Leader: ['Leader', 'Ldr', 'Ldr.'],
  Flight: ['Flight', 'Flt', 'Flt.'],
  Flying: ['Flying', 'Fg', 'Fg.'],
  Pilot: ['Pilot', 'Plt', 'Plt.'],
  Officer: ['Officer', 'Off', 'Offr', 'Offr.'],
  Sergeant: ['Sergeant', 'Sgt', 'Sgt.', 'Serjeant'],
  Staff: ['Staff', 'Staff'],
  Master: ['Master'],
  Corporal: ['Corporal', 'Cpl', 'Cpl.'],
  Lance: ['Lance', 'L'],
  Private: ['Private', 'Pvt', 'Pvt.', 'Pte', 'Pte.'],
  Field: ['Field'],
  Chief: ['Chief'],
  Air: ['Air'],
  Inspector: ['Inspector', 'Insp', 'Insp.'],
  Deputy: ['Deputy', 'Dy', 'Dy.'],
  Superintendent: ['Superintendent', 'Supt', 'Supt.'],
  Assistant: ['Assistant', 'Asst', 'Asst.'],
  Additional: ['Additional', 'Addl', 'Addl.', 'Addl'],
  Senior: ['Senior', 'Sr', 'Sr.'],
  Junior: ['Junior'],
  Petty: ['Petty'],
  Warrant: ['Warrant'],
  Sub: ['Sub'],
  Naib: ['Naib'],
  Subedar: ['Subedar', 'Sub', 'Sub.'],
  Havildar: ['Havildar', 'Hav', 'Hav.'],
  Naik: ['Naik', 'Nk', 'Nk.'],
  Sepoy: ['Sepoy', 'Sep', 'Sep.'],
  Risaldar: ['Risaldar', 'Ris', 'Ris.'],
  Constable: ['Constable', 'Const', 'Const.'],
  Detective: ['Detective', 'Det', 'Det.'],
  Police: ['Police'],
};

// [full English form, NATO code ('' = none defined), service, extra surfaces]
// Order matters: the first rank that produces a surface keeps it
// (so `Captain` = army OF-2, `Lieutenant` = army OF-1, see README).
const RANKS = [
  // ---- army / marines / generic (US, UK, Pakistan, India, Iran, NATO)
  ['Field Marshal', 'OF-10', 'army', ['Field-Marshal', 'Fd Marshal', 'Fd. Marshal', 'FM Marshal']],
  ['General of the Army', 'OF-10', 'army', []],
  ['General', 'OF-9', 'army', ['GEN']],
  ['Lieutenant General', 'OF-8', 'army', ['LtGen', 'LTG', 'Lt.Gen.', 'Lt.Gen', 'Lt-Gen.', 'Lt Genl']],
  ['Major General', 'OF-7', 'army', ['MajGen', 'Maj.Gen.', 'Maj.Gen', 'Maj-Gen.', 'Major Gen', 'Major Gen.']],
  ['Brigadier General', 'OF-6', 'army', ['BGen', 'BrigGen', 'Brig.Gen.', 'Brig.Gen', 'Brig-Gen.']],
  // Iran: sartip dovom, "brigadier general second class"; below a
  // brigadier general, equated here with the OF-6 class.
  ['Second Brigadier General', 'OF-6', 'army', ['2nd Brigadier General', '2nd Brig. Gen.', '2nd Brig Gen',
    'Brigadier General Second Class', 'Brigadier General 2nd Class', 'Second Brig. Gen.', 'Second Brig Gen',
    'Second-Brigadier General', 'Brigadier-General Second Class']],
  ['Brigadier', 'OF-6', 'army', ['Brigadier (Retd)']],
  // Russia, Belarus, Ukraine, Central Asia: general-polkovnik, between a
  // lieutenant general and an army general; China: senior colonel (da xiao),
  // between a colonel and a major general.
  ['Army General', 'OF-9', 'army', []],
  ['Colonel General', 'OF-8', 'army', ['Col. Gen.', 'Col Gen', 'Col.-Gen.']],
  ['Senior Colonel', 'OF-5', 'army', ['Snr Col', 'Sr Col']],
  ['Colonel', 'OF-5', 'army', ['COL']],
  ['Lieutenant Colonel', 'OF-4', 'army', ['LtCol', 'LTC', 'Lt.Col.', 'Lt.Col', 'Lt-Col.', 'Lieut.-Col.', 'Lt Colonel']],
  ['Major', 'OF-3', 'army', ['MAJ']],
  // `Captain` is ambiguous: army/marines/air force OF-2, navy OF-5. Army chosen.
  ['Captain', 'OF-2', 'army', ['CPT']],
  ['First Lieutenant', 'OF-1', 'army', ['1stLt', '1LT', '1st Lt.', '1st Lt']],
  // `Lieutenant` is ambiguous: army OF-1, navy OF-2. Army chosen.
  ['Lieutenant', 'OF-1', 'army', []],
  ['Second Lieutenant', 'OF-1', 'army', ['2ndLt', '2LT', '2Lt', '2/Lt', '2/Lt.', '2nd Lt.', '2nd Lt', 'Sec Lt', 'Sec. Lt.']],
  ['Officer Cadet', 'OF(D)', 'army', ['Gentleman Cadet']],
  // ---- navy
  ['Admiral of the Fleet', 'OF-10', 'navy', ['Fleet Admiral']],
  ['Admiral', 'OF-9', 'navy', ['ADM']],
  ['Vice Admiral', 'OF-8', 'navy', ['VADM', 'VAdm', 'V Adm', 'V. Adm.', 'Vice-Adm.', 'Vice Adml']],
  ['Rear Admiral', 'OF-7', 'navy', ['RADM', 'RAdm', 'R Adm', 'R. Adm.', 'R Adm.', 'Rear-Adm.', 'Rear Adml']],
  // Iran navy: daryadar dovom, "second rear admiral"; OF-6 class.
  ['Second Rear Admiral', 'OF-6', 'navy', ['2nd Rear Admiral', 'Rear Admiral Second Class', 'Rear Admiral 2nd Class',
    'Second Rear Adm.', '2nd Rear Adm.']],
  ['Rear Admiral (lower half)', 'OF-6', 'navy', ['Rear Admiral Lower Half', 'RDML']],
  ['Commodore', 'OF-6', 'navy', []],
  // `Commander` alone is left out on purpose: in this domain it is mostly a
  // role ("IRGC Commander Hossein Salami"), which is not annotated.
  ['Commander', 'OF-4', 'navy', ['CDR']],
  ['Lieutenant Commander', 'OF-3', 'navy', ['LtCdr', 'LCDR', 'Lt Cdr', 'Lt. Cdr.', 'Lt-Cdr', 'Lt Cmdr', 'Lt. Cmdr.', 'Lt.Cdr.', 'Lieut. Cdr.']],
  ['Lieutenant Junior Grade', 'OF-1', 'navy', ['LTJG', 'Lt (jg)', 'Lt. (jg)', 'Lt.j.g.']],
  ['Sub-Lieutenant', 'OF-1', 'navy', ['Sub Lieutenant', 'Sub Lt', 'Sub-Lt', 'Sub-Lt.', 'Sub Lt.', 'S/Lt', 'SLt']],
  ['Acting Sub-Lieutenant', 'OF-1', 'navy', ['Acting Sub Lieutenant']],
  ['Ensign', 'OF-1', 'navy', ['ENS']],
  ['Midshipman', 'OF(D)', 'navy', ['Mid', 'Mid.']],
  // ---- air force (Commonwealth / Pakistan / India)
  ['Marshal of the Air Force', 'OF-10', 'air', ['Marshal of the Royal Air Force', 'Marshal of the Indian Air Force']],
  ['Air Chief Marshal', 'OF-9', 'air', ['ACM', 'Air Chief Mshl', 'Air Ch Marshal', 'Air Chief-Marshal']],
  ['Air Marshal', 'OF-8', 'air', ['Air Mshl']],
  ['Air Vice Marshal', 'OF-7', 'air', ['Air Vice-Marshal', 'AVM', 'A V M', 'A.V.M.', 'Air Vice Mshl', 'AVM.']],
  ['Air Commodore', 'OF-6', 'air', ['Air Cdre', 'Air Cdre.', 'Air Cmde', 'Air Cmdre', 'Air Commo']],
  ['Group Captain', 'OF-5', 'air', ['Gp Capt', 'Gp. Capt.', 'Gp Capt.', 'Grp Capt', 'G/Capt']],
  ['Wing Commander', 'OF-4', 'air', ['Wg Cdr', 'Wg. Cdr.', 'Wg Cdr.', 'Wg Cmdr', 'W/Cdr', 'Wing Cdr', 'Wing Cmdr', 'Wg Comd']],
  ['Squadron Leader', 'OF-3', 'air', ['Sqn Ldr', 'Sqn. Ldr.', 'Sqn Ldr.', 'Sqdn Ldr', 'S/Ldr', 'Sq Ldr', 'Sq. Ldr.']],
  ['Flight Lieutenant', 'OF-2', 'air', ['Flt Lt', 'Flt. Lt.', 'Flt Lt.', 'F/Lt', 'Flt Lieut']],
  ['Flying Officer', 'OF-1', 'air', ['Fg Offr', 'Fg Off', 'Fg. Off.', 'F/O', 'Flg Off', 'Flg Offr']],
  ['Pilot Officer', 'OF-1', 'air', ['Plt Off', 'Plt Offr', 'Plt. Off.', 'P/O']],
  ['Warrant Officer', 'OR-9', 'air', ['W/O']],
  ['Master Warrant Officer', 'OR-9', 'air', ['MWO']],
  ['Junior Warrant Officer', 'OR-8', 'air', ['JWO']],
  ['Chief Technician', 'OR-7', 'air', ['Chf Tech']],
  ['Flight Sergeant', 'OR-7', 'air', ['Flt Sgt', 'F/Sgt']],
  ['Senior Technician', 'OR-5', 'air', ['Snr Tech']],
  ['Senior Aircraftman', 'OR-2', 'air', []],
  ['Leading Aircraftman', 'OR-2', 'air', ['Leading Aircraftsman']],
  ['Aircraftman', 'OR-1', 'air', ['Aircraftsman']],
  ['Chief Master Sergeant', 'OR-9', 'air', ['CMSgt']],
  ['Senior Master Sergeant', 'OR-8', 'air', ['SMSgt']],
  ['Technical Sergeant', 'OR-6', 'air', ['TSgt']],
  ['Senior Airman', 'OR-4', 'air', ['SrA']],
  ['Airman First Class', 'OR-3', 'air', ['A1C']],
  ['Airman Basic', 'OR-1', 'air', []],
  // ---- other ranks (army / marines)
  ['Sergeant Major of the Army', 'OR-9', 'army', []],
  ['Command Sergeant Major', 'OR-9', 'army', ['CSM']],
  ['Sergeant Major', 'OR-9', 'army', ['SgtMaj', 'Sgt Maj', 'Sgt. Maj.', 'Sgt-Maj', 'Sergeant-Major', 'RSM', 'Regimental Sergeant Major']],
  ['Master Gunnery Sergeant', 'OR-9', 'marines', ['MGySgt']],
  ['Warrant Officer Class 1', 'OR-9', 'army', ['WO1']],
  ['Warrant Officer Class 2', 'OR-8', 'army', ['WO2']],
  ['Master Sergeant', 'OR-8', 'army', ['MSgt', 'MSG', 'Master Sgt', 'Master Sgt.']],
  ['First Sergeant', 'OR-8', 'army', ['1SG', '1st Sgt', '1st Sgt.']],
  ['Colour Sergeant', 'OR-7', 'army', ['Color Sergeant', 'CSgt', 'C/Sgt']],
  ['Sergeant First Class', 'OR-7', 'army', ['SFC', 'Sgt 1st Class', 'Sgt. 1st Class']],
  ['Gunnery Sergeant', 'OR-7', 'marines', ['GySgt', 'Gunnery Sgt', 'Gunnery Sgt.', 'Gunny']],
  ['Staff Sergeant', 'OR-6', 'army', ['SSgt', 'S/Sgt', 'Staff Sgt', 'Staff Sgt.', 'Staff-Sergeant']],
  ['Sergeant', 'OR-5', 'army', ['SGT']],
  ['Specialist', 'OR-4', 'army', ['Spc', 'Spc.', 'SPC']],
  ['Corporal', 'OR-4', 'army', ['CPL']],
  ['Lance Corporal', 'OR-3', 'army', ['LCpl', 'L/Cpl', 'L/Cpl.', 'L Cpl', 'LCPL', 'Lance-Corporal', 'L. Cpl.']],
  ['Private First Class', 'OR-3', 'army', ['PFC', 'Pfc', 'Pfc.', 'Pvt 1st Class']],
  ['Private', 'OR-1', 'army', ['PVT', 'Pte', 'Pte.']],
  ['Trooper', 'OR-1', 'army', ['Tpr', 'Tpr.']],
  ['Gunner', 'OR-1', 'army', ['Gnr', 'Gnr.']],
  ['Sapper', 'OR-1', 'army', ['Spr', 'Spr.']],
  ['Rifleman', 'OR-1', 'army', ['Rfn', 'Rfn.']],
  ['Signalman', 'OR-1', 'army', ['Sig', 'Sig.']],
  ['Chief Warrant Officer', 'WO', 'army', ['CWO', 'CW5', 'CW4', 'CW3', 'CW2', 'Chief Warrant Officer 5', 'Chief Warrant Officer 4',
    'Chief Warrant Officer 3', 'Chief Warrant Officer 2']],
  // ---- navy other ranks
  ['Master Chief Petty Officer', 'OR-9', 'navy', ['MCPO', 'Master Chief']],
  ['Senior Chief Petty Officer', 'OR-8', 'navy', ['SCPO', 'Senior Chief']],
  ['Chief Petty Officer', 'OR-7', 'navy', ['CPO', 'Chief Petty Officer Class 1']],
  ['Petty Officer First Class', 'OR-6', 'navy', ['PO1', 'Petty Officer 1st Class']],
  ['Petty Officer Second Class', 'OR-5', 'navy', ['PO2', 'Petty Officer 2nd Class']],
  ['Petty Officer Third Class', 'OR-4', 'navy', ['PO3', 'Petty Officer 3rd Class']],
  ['Petty Officer', 'OR-6', 'navy', []],
  ['Leading Seaman', 'OR-4', 'navy', []],
  ['Able Seaman', 'OR-2', 'navy', []],
  ['Seaman', 'OR-1', 'navy', []],
  // ---- Pakistan / India junior commissioned officers and other ranks
  // (no NATO code defined; the codes given follow the usual comparison
  // tables and are approximate)
  ['Subedar Major', 'OR-9', 'army', ['Sub Maj', 'Sub. Maj.', 'Subedar-Major', 'Subidar Major']],
  ['Risaldar Major', 'OR-9', 'army', ['Ris Maj', 'Risaldar-Major']],
  ['Subedar', 'OR-8', 'army', ['Subidar', 'Sub.']],
  ['Risaldar', 'OR-8', 'army', []],
  ['Naib Subedar', 'OR-7', 'army', ['Nb Sub', 'Nb. Sub.', 'Naib Subidar', 'Naib-Subedar', 'N/Sub']],
  ['Naib Risaldar', 'OR-7', 'army', ['Nb Ris', 'Nb. Ris.']],
  ['Honorary Captain', 'OF-2', 'army', ['Hony Capt', 'Hon Capt', 'Hony. Capt.', 'Hon. Capt.']],
  ['Honorary Lieutenant', 'OF-1', 'army', ['Hony Lt', 'Hon Lt', 'Hony. Lt.']],
  ['Battalion Havildar Major', 'OR-7', 'army', ['BHM']],
  ['Company Havildar Major', 'OR-6', 'army', ['CHM']],
  ['Company Quartermaster Havildar', 'OR-6', 'army', ['CQMH']],
  ['Havildar', 'OR-6', 'army', ['Hav', 'Havaldar']],
  ['Daffadar', 'OR-6', 'army', ['Dafadar']],
  ['Naik', 'OR-4', 'army', ['Nk']],
  ['Lance Naik', 'OR-3', 'army', ['L/Naik', 'L/Nk', 'L Nk', 'LNk', 'Lance-Naik', 'Lans Naik']],
  ['Lance Daffadar', 'OR-3', 'army', ['Lance Dafadar']],
  ['Sepoy', 'OR-1', 'army', []],
  ['Sowar', 'OR-1', 'army', []],
  // ---- Iranian ranks in transliteration (seen in English-language Iranian media)
  ['Arteshbod', 'OF-9', 'army', []],
  ['Sepahbod', 'OF-8', 'army', []],
  ['Sarlashkar', 'OF-7', 'army', []],
  ['Sartip', 'OF-6', 'army', []],
  ['Sartip Dovom', 'OF-6', 'army', ['Sartip-e Dovom']],
  ['Sarhang', 'OF-5', 'army', []],
  ['Sarhang Dovom', 'OF-4', 'army', []],
  ['Sargord', 'OF-3', 'army', []],
  ['Daryasalar', 'OF-9', 'navy', []],
  ['Daryaban', 'OF-8', 'navy', []],
  ['Daryadar', 'OF-7', 'navy', []],
  ['Daryadar Dovom', 'OF-6', 'navy', []],
  ['Nakhoda Yekom', 'OF-5', 'navy', []],
  ['Nakhoda Dovom', 'OF-4', 'navy', []],
  ['Nakhoda Sevom', 'OF-3', 'navy', []],
  // ---- police (Pakistan, India, Iran, UK, US)
  ['Inspector General of Police', '', 'police', ['IGP', 'IG Police', 'Inspector General', 'Inspector-General',
    'Inspector-General of Police', 'Insp Gen', 'IG']],
  ['Additional Inspector General of Police', '', 'police', ['Additional IG', 'Additional Inspector General', 'Addl IG',
    'Addl. IG', 'Additional IGP', 'AIG', 'Additional Director General of Police', 'ADGP']],
  ['Director General of Police', '', 'police', ['DGP']],
  ['Deputy Inspector General of Police', '', 'police', ['DIG', 'Deputy Inspector General', 'Deputy Inspector-General',
    'DIGP', 'Dy IG', 'Dy. IG', 'Deputy IG']],
  ['Senior Superintendent of Police', '', 'police', ['SSP', 'Senior Superintendent', 'Sr Superintendent']],
  ['Superintendent of Police', '', 'police', ['SP', 'Superintendent', 'Supt', 'Supt.']],
  ['Additional Superintendent of Police', '', 'police', ['Additional SP', 'Addl SP', 'Addl. SP', 'Additional Superintendent']],
  ['Deputy Superintendent of Police', '', 'police', ['DSP', 'Deputy Superintendent', 'Dy SP', 'Dy. SP', 'DySP', 'Deputy SP']],
  ['Assistant Superintendent of Police', '', 'police', ['ASP', 'Assistant Superintendent', 'Asst Superintendent']],
  ['Inspector', '', 'police', ['Insp', 'Insp.']],
  ['Sub-Inspector', '', 'police', ['Sub Inspector', 'Sub-Insp', 'Sub Insp', 'Sub-Inspr']],
  ['Assistant Sub-Inspector', '', 'police', ['Assistant Sub Inspector', 'ASI']],
  ['Head Constable', '', 'police', ['Head Const']],
  ['Constable', '', 'police', ['Const', 'Const.']],
  ['Police Constable', '', 'police', []],
  ['Lady Constable', '', 'police', []],
  ['Chief Constable', '', 'police', []],
  ['Deputy Chief Constable', '', 'police', []],
  ['Assistant Chief Constable', '', 'police', []],
  ['Chief Superintendent', '', 'police', ['Chief Supt', 'Chief Supt.', 'Ch Supt']],
  ['Detective Chief Superintendent', '', 'police', ['Det Chief Supt', 'DCS']],
  ['Detective Superintendent', '', 'police', ['Det Supt', 'Det. Supt.']],
  ['Chief Inspector', '', 'police', ['Ch Insp', 'Chief Insp']],
  ['Detective Chief Inspector', '', 'police', ['DCI']],
  ['Detective Inspector', '', 'police', ['Det Insp', 'Det. Insp.']],
  ['Detective Sergeant', '', 'police', ['Det Sgt', 'Det. Sgt.']],
  ['Detective Constable', '', 'police', ['Det Con']],
  ['Police Sergeant', '', 'police', []],
  ['Police Colonel', '', 'police', ['Police Col', 'Police Col.', 'Pol Col', 'Pol. Col.']],
  ['Police Brigadier General', '', 'police', ['Police Brig Gen', 'Police Brig. Gen.']],
  ['Police Major General', '', 'police', ['Police Maj Gen', 'Police Maj. Gen.']],
  ['Police General', '', 'police', ['Pol Gen', 'Pol. Gen.']],
];

// Ranks that are expanded word by word with FORMS (multi-word ranks and
// single words that have abbreviations).
function expand(full) {
  const ws = full.replace(/\s*\(.*\)$/, '').split(/[ -]/);
  if (ws.some((w) => !FORMS[w] && !/^(of|the|Class|1|2|Grade|Yekom|Dovom|Sevom)$/.test(w))) return [full];
  let combos = [[]];
  for (const w of ws) {
    const fs = FORMS[w] || [w];
    const next = [];
    for (const c of combos) for (const f of [...new Set(fs)]) next.push([...c, f]);
    combos = next;
  }
  const out = new Set([full]);
  for (const c of combos) {
    // all-full or containing an abbreviation: join with space and hyphen
    out.add(c.join(' '));
    if (c.length === 2) out.add(c.join('-'));
  }
  // A bare one-letter or "Sub" form alone is not a rank.
  return [...out].filter((s) => !/^(L|Sub|Sub\.|Mid|Off|Sep|Sig|Sig\.)$/.test(s) || s === full);
}

function caseOf(s) {
  const letters = s.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 2 && letters === letters.toUpperCase()) return 'exact';
  if (/\p{Ll}\p{Lu}/u.test(s)) return 'exact';          // LtGen, MajGen, BGen, SrA
  if (/^\p{Lu}\p{Lu}/u.test(s) && /\p{Ll}/u.test(s)) return 'exact'; // BGen, SSgt
  if (/^\d/.test(s)) return 'exact';                      // 2Lt, 1stLt, 2nd Lt
  if (/^[A-Z]\/|\/[A-Z]$/.test(s)) return 'exact';          // G/Capt, W/C
  return 'title';
}

const rows = new Map();
for (const [full, nato, service, extra] of RANKS) {
  const surfaces = [...expand(full), ...extra];
  for (const s of surfaces) {
    if (/^(Mid|Mid\.|Sig|Sig\.|Cadet|Gunny|Sub\.|Off|Sep|Sep\.)$/.test(s) && s !== full) continue; // too ambiguous alone
    if (s === 'Commander') continue; // mostly a role here (see header)
    const k = fold(s); // title rows also match ALL-CAPS text, so GEN is redundant after Gen
    if (rows.has(k)) continue;
    const attrs = ['full=' + full];
    if (nato) attrs.push('nato=' + nato);
    attrs.push('service=' + service);
    attrs.push('case=' + caseOf(s));
    rows.set(k, [s, 'RANK', full, attrs.join(';')]);
  }
}

const lines = `# ranks.tsv: military, naval, air-force and police ranks (type RANK).
# GENERATED by gazetteers/gen/build.sh from the hand-curated table in
# gen/ranks.js (compiled by nerpipe developers from public rank tables;
# MIT like the code). Sources consulted: NATO STANAG 2116 rank code
# tables as published in public rank-comparison references (Wikipedia
# "Ranks and insignia of NATO armies/navies/air forces officers/enlisted",
# "Army ranks and insignia of Pakistan/India", "Military ranks of Iran").
# Every abbreviation and punctuation variant is its own row, because the
# matcher compares token sequences (Maj Gen != Maj. Gen. != Major-General).
#
# NATO codes used (army / navy / air force):
#   OF-10  Field Marshal, General of the Army / Admiral of the Fleet /
#          Marshal of the Air Force
#   OF-9   General / Admiral / Air Chief Marshal
#   OF-8   Lieutenant General / Vice Admiral / Air Marshal
#   OF-7   Major General / Rear Admiral / Air Vice Marshal
#   OF-6   Brigadier, Brigadier General / Commodore, Rear Admiral (lower
#          half) / Air Commodore.  Iran's Second Brigadier General (sartip
#          dovom) and Second Rear Admiral (daryadar dovom) rank just below a
#          brigadier general / rear admiral and are put in the OF-6 class.
#   OF-5   Colonel / Captain (navy) / Group Captain
#   OF-4   Lieutenant Colonel / Commander / Wing Commander
#   OF-3   Major / Lieutenant Commander / Squadron Leader
#   OF-2   Captain / Lieutenant (navy) / Flight Lieutenant
#   OF-1   Lieutenant, First and Second Lieutenant / Sub-Lieutenant,
#          Ensign / Flying Officer, Pilot Officer
#   OR-9 .. OR-1  enlisted ranks (Sergeant Major OR-9 ... Private OR-1)
#   Police ranks have no NATO code.
# Ambiguous surfaces keep the first reading: 'Captain' = army OF-2 (navy
# Captain is OF-5), 'Lieutenant' = army OF-1 (navy OF-2).  'Commander' alone
# is NOT listed (mostly a role in this domain); Cdr/Cmdr/CDR are.
# Case: full words and dotted/short abbreviations are case=title (must be
# capitalised or ALL-CAPS in text: never 'gen', 'col', 'major', 'private');
# all-caps and camel-case codes (AVM, DIG, SSP, LtGen, BGen) are case=exact.
# surface\ttype\tcanonical\tattrs`.split('\n');
// group by rank (table order), then surface
const order = new Map(RANKS.map((r, i) => [r[0], i]));
const sorted = [...rows.values()].sort((a, b) => (order.get(a[2]) - order.get(b[2])) || cmp(a[0], b[0]));
for (const r of sorted) lines.push(r.join('\t'));
process.stdout.write(lines.join('\n') + '\n');
process.stderr.write('ranks: ' + rows.size + ' rows\n');
