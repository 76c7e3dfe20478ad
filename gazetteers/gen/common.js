'use strict';
// Shared helpers for the nerpipe gazetteer generators.
// Everything here is deterministic: no dates, no randomness, stable sorting.

const fs = require('fs');
const path = require('path');

const GAZ_DIR = path.resolve(__dirname, '..');

// Fold a surface the way the matcher does (roughly): strip diacritics,
// unify quotes and dashes, lowercase, collapse spaces.  Used only for
// de-duplication and for look-ups in the stop lists.
const EXTRA_FOLD = {
  'ı': 'i', 'İ': 'I', 'ł': 'l', 'Ł': 'L', 'ø': 'o', 'Ø': 'O', 'đ': 'd', 'Đ': 'D',
  'ß': 'ss', 'æ': 'ae', 'Æ': 'AE', 'œ': 'oe', 'Œ': 'OE', 'þ': 'th', 'ð': 'd',
};
function fold(s) {
  let t = s.normalize('NFD').replace(/\p{M}/gu, '');
  t = t.replace(/[ıİłŁøØđĐßæÆœŒþð]/g, (c) => EXTRA_FOLD[c]);
  t = t.replace(/[\u2018\u2019\u201A\u201B\u02BC\u02BB\u02BF\u02BE\u0060\u00B4]/g, "'");
  t = t.replace(/[\u201C\u201D\u201E]/g, '"');
  t = t.replace(/[\u2010\u2011\u2012\u2013\u2014\u2212]/g, '-');
  return t.toLowerCase().replace(/\s+/g, ' ').trim();
}

// Word tokens of a surface (letters/digits runs), after folding.
function words(s) {
  return fold(s).split(/[^\p{L}\p{N}.]+/u).filter((w) => w.length > 0);
}

// Lower-case dictionary words from /usr/share/dict/words (wamerican).
function loadDict() {
  const f = '/usr/share/dict/words';
  if (!fs.existsSync(f)) throw new Error('missing ' + f + ' (Debian package wamerican)');
  const set = new Set();
  for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
    const w = line.trim();
    if (!w || w.includes("'")) continue;
    if (w === w.toLowerCase()) set.add(fold(w));
  }
  return set;
}

// Read a hand-curated gazetteer (surface, type, canonical, attrs).
function readTsv(name) {
  const f = path.join(GAZ_DIR, name);
  const rows = [];
  if (!fs.existsSync(f)) return rows;
  for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const p = line.split('\t');
    rows.push({ surface: p[0], type: p[1], canonical: p[2] || '', attrs: p[3] || '' });
  }
  return rows;
}

function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

// Words that must never be emitted as a place or a given name: titles,
// ranks, months, days, compass words, religions and similar.
const STOP_WORDS = `
president prime minister minister king queen prince princess crown emir amir sheikh shaikh sheik
imam mullah mulla ayatollah hojatoleslam sayyid mr mrs ms dr sir lord lady dame
general gen colonel col major maj captain capt lieutenant lt brigadier brig admiral adm
commodore marshal field sergeant sgt corporal cpl private pvt commander commandant
chief army navy air force police marines marine corps guard guards staff officer
havildar naik sepoy subedar risaldar inspector superintendent constable
governor senator mayor judge justice chairman secretary ambassador envoy spokesman spokesperson
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
north south east west central northern southern eastern western upper lower middle
islam islamic muslim muslims shia shiite sunni christian jewish hindu sikh arab arabic persian
said asif ali allah god
un nato isis isil ispr isi
`.split(/\s+/).filter(Boolean);

// Very common given names (South/West Asian first, then English and
// others).  A place with one of these names is never emitted, and the
// names are added to givennames.tsv if the package lacks them.
const COMMON_GIVEN = `
Mohammad Muhammad Mohammed Mohamed Mohamad Muhammed Mehmet Mehmed Mohd Ahmad Ahmed Ahmet Ahmadi
Ali Hassan Hasan Hussain Husain Hussein Hossein Huseyin Hosein Husayn Abbas Abdullah Abdallah
Abdul Abdol Abdel Abdur Abdulla Omar Umar Omer Othman Osman Usman Uthman Khalid Khaled Salem Salim Saleem
Said Saeed Saied Sayed Syed Seyed Seyyed Sayyid Sayeed Mahmoud Mahmood Mahmud Mustafa Mostafa Mustapha
Ibrahim Ebrahim Ismail Esmail Ismael Yusuf Yousef Yousuf Youssef Yusef Jafar Jaafar Ja'far Karim Kareem
Reza Raza Mehdi Mahdi Hamid Hameed Hamed Majid Majeed Rashid Rasheed Nasser Nasir Naser Nasser
Javed Javid Javad Jawad Tariq Tarik Tareq Imran Irfan Faisal Faysal Fahad Fahd Fawad Farooq Faruk
Asim Asif Aamir Amir Amer Ameer Qamar Zaheer Zahir Sahir Nadeem Naveed Navid Babar Bilal Waqar
Shahid Shahed Shaheed Zahid Zubair Zobair Jamil Jameel Kamal Kamel Kemal Jalal Jalil Aziz Azeez
Akbar Asghar Akram Anwar Anwer Arif Aref Ashraf Ayub Ayoub Ayyub Azam Aslam Adnan Adil Adel Aadil
Bashir Basheer Daud Dawood Davood Dawud Ghulam Gholam Habib Hafeez Hafiz Haider Hyder Heidar Hamza Hamzah
Haroon Harun Harun Idris Idrees Ilyas Elias Iqbal Ishaq Isaac Jahangir Junaid Kashif Kazem Kazim
Khalil Khaleel Latif Mansoor Mansour Mansur Masood Masoud Massoud Mujtaba Murtaza Morteza Mirza
Musa Moosa Mousa Nabil Nabeel Naeem Naim Nawaz Noor Nour Nur Obaid Parvez Pervez Parviz Qasim Qasem Kasim
Rahim Raheem Rahman Rehman Ramin Rauf Rafiq Rafique Saad Sadiq Sadegh Sajid Salman Sami Samir Sameer
Shah Shahab Shahbaz Shehbaz Shahzad Sharif Shareef Sohail Suhail Sultan Tahir Taher Talal Tanvir
Usama Osama Waleed Walid Waseem Wasim Yasir Yasser Yaser Younis Younes Yunus Zafar Zaman Zia Ziad Ziaul
Fatima Fatemeh Fatma Ayesha Aisha Aysha Maryam Mariam Zainab Zeinab Khadija Sara Sarah Hina Amina Aminah
Raj Rajesh Ramesh Suresh Mahesh Ganesh Dinesh Rakesh Mukesh Anil Sunil Vijay Ajay Sanjay Amit Sumit Rahul
Ravi Arun Ashok Anand Manoj Vinod Pradeep Sandeep Deepak Rajiv Rajeev Sanjeev Narendra Rajnath Amit Ram
Krishna Shiva Vishnu Lakshmi Priya Pooja Sunita Anita Kavita Singh Kumar Prasad Lal Devi
John James Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
Donald Mark Paul Steven Andrew Kenneth Joshua George Kevin Brian Edward Ronald Timothy Jason Jeffrey Ryan
Jacob Gary Nicholas Eric Stephen Jonathan Larry Justin Scott Brandon Frank Benjamin Gregory Samuel Raymond
Patrick Alexander Jack Dennis Jerry Tyler Aaron Henry Douglas Peter Adam Nathan Zachary Walter Kyle Harold
Carl Jeremy Keith Roger Gerald Ethan Arthur Terry Christian Sean Lawrence Austin Joe Noah Jesse Albert
Bryan Billy Bruce Willie Jordan Dylan Alan Ralph Gabriel Roy Juan Wayne Eugene Logan Randy Louis Russell
Vincent Philip Bobby Johnny Bradley Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Karen
Nancy Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie
Rebecca Laura Sharon Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela Nicole Samantha Katherine
Emma Ruth Christine Catherine Debra Rachel Carolyn Janet Virginia Maria Heather Diane Julie Joyce Victoria
Kelly Christina Joan Evelyn Lauren Judith Olivia Frances Martha Cheryl Megan Andrea Hannah Jacqueline Ann
Jean Alice Kathryn Gloria Teresa Doris Sara Janice Julia Marie Madison Grace Judy Theresa Beverly Denise
Marilyn Amber Danielle Abigail Brittany Rose Diana Natalie Sophia Alexis Lori Kayla Jane Tiffany Kathy
Vladimir Sergei Sergey Dmitry Dmitri Alexei Alexey Ivan Igor Oleg Andrei Andrey Mikhail Nikolai Yuri
Xi Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Jose Carlos Luis Jorge Pedro Miguel Antonio Manuel
Francisco Javier Pablo Hans Karl Klaus Jean Pierre Michel Marco Giovanni Giuseppe Ahmet Emine Recep
Benjamin Yair Yoav Moshe Avi Yossi Ehud Isaac Israel Naftali Benny Gideon Herzi
Abu Bin Ibn Abd Umm Mir Haji Hajji Malik Raja Rana Mian Pir Sardar Rustam Rostam Saman Mehran Miran
Ben Shahriar Jasim Jassim Dana Hala Razan Nabi Khan Sultan Emir Agha Aga Baba Bibi Begum Sahib Sheikh
`.split(/\s+/).filter(Boolean);

module.exports = { GAZ_DIR, fold, words, loadDict, readTsv, cmp, STOP_WORDS, COMMON_GIVEN };
