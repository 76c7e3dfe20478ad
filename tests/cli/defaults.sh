# The default chain (pipeline.conf, the bundled gazetteers and
# nerpipe.rules) on the cases the annotation guidelines and the rules
# must get right.  Expectations are "type<TAB>text" rows in order.
. "$(dirname "$0")/../setup"

# tag TEXT: print "type<TAB>text" for every mention nerpipe finds in TEXT.
tag() {
	printf '%s\n' "$1" > "$TMP/in.txt"
	nerpipe "$TMP/in.txt" | tail -n +2 | cut -f4,5
}

# case NAME TEXT EXPECTED-ROWS...
check() {
	local name=$1 text=$2
	shift 2
	case_begin "defaults: $name"
	tag "$text" > "$OUT" 2>"$ERR" || fail "nerpipe failed: $(cat "$ERR")"
	if [ "$*" = "" ]; then
		: > "$TMP/want"
	else
		printf '%s\n' "$@" > "$TMP/want"
	fi
	cmp -s "$OUT" "$TMP/want" || fail "got: $(tr '\t\n' ' |' < "$OUT") want: $(tr '\t\n' ' |' < "$TMP/want")"
	case_end
}

T=$(printf '\t')
check "a rank before an unknown name" \
	"Maj Gen Sarfraz Ali met the envoy." \
	"RANK${T}Maj Gen" "PER${T}Sarfraz Ali"
check "a rank before initials" \
	"He met Lt Gen M.V. Suchindra Kumar in Udhampur." \
	"RANK${T}Lt Gen" "PER${T}M.V. Suchindra Kumar" "LOC${T}Udhampur"
check "a rank before a name nobody lists, in running text" \
	"On Monday he met Gen. Kurilla at the base." \
	"RANK${T}Gen." "PER${T}Kurilla"
check "a name at the end of a line (a caption) is whole" \
	"$(printf 'Gen Zorblax Quintavius\nhad met the envoy in Quetta.')" \
	"RANK${T}Gen" "PER${T}Zorblax Quintavius" "LOC${T}Quetta"
check "a caption line: rank and a name whose surname is also a word" \
	"$(printf 'Maj Gen Tariq Mehmood Khan\nreviewed the parade in Rawalpindi.')" \
	"RANK${T}Maj Gen" "PER${T}Tariq Mehmood Khan" "LOC${T}Rawalpindi"
check "a name at the end of the text" \
	"The envoy met Maj Gen Sarfraz Ali" \
	"RANK${T}Maj Gen" "PER${T}Sarfraz Ali"
check "an organisation spelt co-operation finds its Cooperation entry" \
	"Leaders of the Shanghai Co-operation Organisation met the Gulf Cooperation Council." \
	"ORG${T}Shanghai Co-operation Organisation" "ORG${T}Gulf Cooperation Council"
check "Air Chief Marshal" \
	"The talks included Air Chief Marshal Zaheer Ahmad Babar Sidhu." \
	"RANK${T}Air Chief Marshal" "PER${T}Zaheer Ahmad Babar Sidhu"
check "a title is left out of the person" \
	"It was announced by Foreign Minister Kazem Gharibabadi and Mr Gharibabadi." \
	"PER${T}Kazem Gharibabadi" "PER${T}Gharibabadi"
check "a title before an unknown name" \
	"The visit was led by Defence Minister Khalid Nawaz Jadoon on Friday." \
	"PER${T}Khalid Nawaz Jadoon"
check "a known given name and capitalised words" \
	"A wreath was laid at the tomb of Muhammad Ali Jinnah in Karachi." \
	"PER${T}Muhammad Ali Jinnah" "LOC${T}Karachi"
check "an acronym defined in brackets, then alone" \
	"The Islamic Revolutionary Guard Corps (IRGC) said the IRGC was ready." \
	"ORG${T}Islamic Revolutionary Guard Corps" "ORG${T}IRGC" "ORG${T}IRGC"
check "organisation heads" \
	"Officers of the Chinar Corps and the Ministry of Foreign Affairs attended." \
	"ORG${T}Chinar Corps" "ORG${T}Ministry of Foreign Affairs"
check "a dateline" \
	"QUETTA: Security was tightened." \
	"LOC${T}QUETTA"
check "a capitalised head belongs to the place, a lowercase one does not" \
	"Attacks in Sistan-Baluchistan Province and in Balochistan province rose." \
	"LOC${T}Sistan-Baluchistan Province" "LOC${T}Balochistan"
check "a hyphenated pair gives two places" \
	"They discussed the Pakistan-Iran border." \
	"LOC${T}Pakistan" "LOC${T}Iran"
check "a possessive is left out" \
	"Iran’s Armed Forces and Pakistan's army met." \
	"LOC${T}Iran" "ORG${T}Armed Forces" "LOC${T}Pakistan"
check "no rank without a name, no common nouns, no demonyms" \
	"The general said the Iranian and Pakistani officers met. The General agreed." \
	""
check "the same person under another spelling" \
	"Maj Gen Muhammad Hussain Baqeri arrived." \
	"RANK${T}Maj Gen" "PER${T}Muhammad Hussain Baqeri"
check "nothing inside a URL" \
	"Read more at https://www.tehrantimes.com/news/480612/Iran-Pakistan today." \
	""
check "a retired officer keeps the rank" \
	"Analyst Lt Gen (retd.) Talat Masood said so." \
	"RANK${T}Lt Gen" "PER${T}Talat Masood"
check "a partial name after a sentence-initial word" \
	"Gen Asim Munir arrived. Later Munir spoke." \
	"RANK${T}Gen" "PER${T}Asim Munir" "PER${T}Munir"
check "ships are not places" \
	"The destroyer IRIS Jamaran and the IRIS Bushehr docked." \
	""
check "Director General is an office, not a rank; the organisation in it is tagged" \
	"Director General Military Intelligence Maj Gen Sarfraz Ali spoke." \
	"ORG${T}Military Intelligence" "RANK${T}Maj Gen" "PER${T}Sarfraz Ali"

case_begin "defaults: one canonical name and the rank for every spelling"
printf 'Maj Gen Mohammad Bagheri met them.\n' > "$TMP/d1.txt"
printf 'Muhammad Baqeri spoke, and Bagheri left.\n' > "$TMP/d2.txt"
nerpipe "$TMP/d1.txt" "$TMP/d2.txt" | awk -F'\t' '$4 == "PER" {print $1, $6, $8, $9}' > "$OUT"
printf '%s\n' "d1 Mohammad Bagheri Major General OF-7" "d2 Mohammad Bagheri  " "d2 Mohammad Bagheri  " > "$TMP/want"
cmp -s "$OUT" "$TMP/want" || fail "got: $(tr '\n' '|' < "$OUT")"
case_end

# The kinds of text the default chain must get right on articles it has
# never seen: each case is one kind, written for the project.
check "an honorific between rank and name" \
	"On Monday Admiral Sir Ben Key met General Sir Roly Walker." \
	"RANK${T}Admiral" "PER${T}Ben Key" "RANK${T}General" "PER${T}Roly Walker"
check "a name whose words are also English words, after a rank" \
	"Officials said Brigadier General Will Hunt and Vice Adm. Frank Bradley would attend." \
	"RANK${T}Brigadier General" "PER${T}Will Hunt" "RANK${T}Vice Adm." "PER${T}Frank Bradley"
check "rank forms: Brig-Gen, Colonel General, a nationality before the rank" \
	"The talks included Brig-Gen Tukur Gusau and Colonel General Alexander Lapin. Later Dutch Gen. Onno Eichelsheim spoke." \
	"RANK${T}Brig-Gen" "PER${T}Tukur Gusau" "RANK${T}Colonel General" "PER${T}Alexander Lapin" "RANK${T}Gen." "PER${T}Onno Eichelsheim"
check "Arabic and Dutch name particles" \
	"He met Col. Turki bin Saleh al-Malki and Lt. Gen. Jan van der Berg." \
	"RANK${T}Col." "PER${T}Turki bin Saleh al-Malki" "RANK${T}Lt. Gen." "PER${T}Jan van der Berg"
check "hyphens and initials in names" \
	"Officials said Jacob Rees-Mogg, Lee Jong-sup and Jean-Yves Le Drian met Mr A.K. Singh, Gen. H.R. McMaster and M Hamid Khan." \
	"PER${T}Jacob Rees-Mogg" "PER${T}Lee Jong-sup" "PER${T}Jean-Yves Le Drian" "PER${T}A.K. Singh" "RANK${T}Gen." "PER${T}H.R. McMaster" "PER${T}M Hamid Khan"
check "a byline and a person with no rank at the start of a sentence" \
	"By Hannah Whitcombe
Daniel Okafor said the unit was ready." \
	"PER${T}Hannah Whitcombe" "PER${T}Daniel Okafor"
check "one sense per document: a town named like a person" \
	"Gen. Lloyd Austin flew in. Austin told reporters he would stay." \
	"RANK${T}Gen." "PER${T}Lloyd Austin" "PER${T}Austin"
check "whole organisation names with of and on inside" \
	"The House Committee on Foreign Affairs met the Ministry of Defence of Azerbaijan." \
	"ORG${T}House Committee on Foreign Affairs" "ORG${T}Ministry of Defence of Azerbaijan"
check "numbered and named units" \
	"Troops of No. 9 Squadron and the 3rd Infantry Division joined the Eastern Military District." \
	"ORG${T}No. 9 Squadron" "ORG${T}3rd Infantry Division" "ORG${T}Eastern Military District"
check "an organisation known from its context" \
	"An analyst at Eurasia Group said defence firm Baykar would deliver." \
	"ORG${T}Eurasia Group" "ORG${T}Baykar"
check "a state after a city, and a state abbreviation" \
	"He flew from Savannah, Georgia to Fort Bragg, said Rep. Ro Khanna (D-Calif.)." \
	"LOC${T}Savannah" "LOC${T}Georgia" "LOC${T}Fort Bragg" "PER${T}Ro Khanna" "LOC${T}Calif."
check "a headline verb is no part of a place" \
	"Army Chief Tours Skardu Airport" \
	"LOC${T}Skardu Airport"
check "a demonym before a lower-case head is no place" \
	"Officials met in the Pakistani province of Sindh." \
	"LOC${T}Sindh"
check "a Korean name, family name first, and the family name alone" \
	"Gen. Kim Myung-soo arrived in Seoul. Kim will visit Busan." \
	"RANK${T}Gen." "PER${T}Kim Myung-soo" "LOC${T}Seoul" "PER${T}Kim" "LOC${T}Busan"
check "European particles after a given name, not inside a city's name" \
	"Officials said Pierre de Villiers met Luiz da Silva in Rio de Janeiro." \
	"PER${T}Pierre de Villiers" "PER${T}Luiz da Silva" "LOC${T}Rio de Janeiro"
check "one sense per document, but a place used as a place stays one" \
	"Gen. Lloyd Austin visited troops. The reporter flew to Austin, Texas, on Friday. Austin said no." \
	"RANK${T}Gen." "PER${T}Lloyd Austin" "LOC${T}Austin" "LOC${T}Texas" "PER${T}Austin"
check "function words in an ALL-CAPS heading are neither places nor acronyms" \
	"CAN THE ARMY WIN THIS WAR

WHO WILL LEAD THE ARMY?

DE-ESCALATION TALKS BEGIN" \
	""
check "two organisations joined by and the" \
	"The Bank of England and the Council of Europe issued statements." \
	"ORG${T}Bank of England" "ORG${T}Council of Europe"
check "hyphened given names and particles, with or without a rank" \
	"Lt Col Jan-Willem van der Graaf briefed the press. The spokesman, Turki bin Saleh al-Malki, said no." \
	"RANK${T}Lt Col" "PER${T}Jan-Willem van der Graaf" "PER${T}Turki bin Saleh al-Malki"
check "bylines with two names and credits" \
	"By Baqir Sajjad Syed and Kamran Yousaf
Reporting by Mubasher Bukhari; Editing by Tom Hogue" \
	"PER${T}Baqir Sajjad Syed" "PER${T}Kamran Yousaf" "PER${T}Mubasher Bukhari" "PER${T}Tom Hogue"
check "a surname inside a longer name in the same article is that person" \
	"Iranian negotiator Ali Bagheri Kani met diplomats in Vienna. Bagheri said the talks were serious." \
	"PER${T}Ali Bagheri Kani" "LOC${T}Vienna" "PER${T}Bagheri"

case_begin "defaults: Syed is not Saeed, Saad keeps his own name"
printf 'Syed Jalili, a student, spoke. Saad Jalili, a driver, spoke too.\n' > "$TMP/sj.txt"
nerpipe "$TMP/sj.txt" | awk -F'\t' '$4 == "PER" {print $5 "|" $6}' > "$OUT"
printf '%s\n' "Syed Jalili|Syed Jalili" "Saad Jalili|Saad Jalili" > "$TMP/want"
cmp -s "$OUT" "$TMP/want" || fail "got: $(tr '\n' ' ' < "$OUT")"
case_end

# A name the text breaks over two lines has one canonical name, the
# same as the name written on one line.
printf '%s\n' "The wing said on Monday that the visiting Gen Zorblax" \
	"Quintavius had met troops. Gen Zorblax Quintavius said so." > "$TMP/wrap.txt"
run "defaults: a name over a line break has the canonical name of one line" \
	"nerpipe $TMP/wrap.txt | cut -f4-6 | grep PER"
expect_out_text "PER	Zorblax\\nQuintavius	Zorblax Quintavius
PER	Zorblax Quintavius	Zorblax Quintavius
"
case_end
