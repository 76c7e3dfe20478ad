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
