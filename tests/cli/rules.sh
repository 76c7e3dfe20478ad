# ner-rules: rules over a tagged stream, --trace, bad and missing rule
# files, and the examples of ner-rules(1) and ner-rules(5).
. "$(dirname "$0")/../setup"

RULES=$TOP/tests/data/test.rules
export NERPIPE_DATA=$TMP
printf '%s\t%s\t%s\t%s\n' 'Maj Gen' RANK 'Major General' 'nato=OF-7' \
	Gen RANK General 'nato=OF-9' Pakistan LOC '' '' Jordan LOC '' '' \
	Tehran LOC '' '' > "$TMP/ents.tsv"
printf 'Asim\tPER\t\t\n' > "$TMP/given.tsv"
ner-gazc -q -o "$TMP/ents.gaz" "$TMP/ents.tsv"
ner-gazc -q -o "$TMP/test-given.gaz" "$TMP/given.tsv"
printf 'Maj Gen Sarfraz Ali met Mr Jordan and Asim Khan of the Pakistan Army in Tehran.\nGen\nMunir left.\n' > "$TMP/a.txt"
ner-norm "$TMP/a.txt" | ner-tok | ner-gaz -g "$TMP/ents.gaz" > "$TMP/a.stream"

# Offsets computed with python3: s.find(w), s.find(w) + len(w).
run_in "rules: tag, untag, force, lists; no match across a line start" "$TMP/a.stream" \
	"ner-rules -r $RULES | ner-tsv | cut -f2-7"
expect_status 0
expect_out_text "start	end	type	text	canonical	source
0	7	RANK	Maj Gen	Major General	ents
8	19	PER	Sarfraz Ali	Sarfraz Ali	rule:rank-name
27	33	PER	Jordan	Jordan	rule:mr-name
38	47	PER	Asim Khan	Asim Khan	rule:given-name
55	68	ORG	Pakistan Army	Pakistan Army	rule:service
72	78	LOC	Tehran	Tehran	ents
80	83	RANK	Gen	General	ents
"
expect_err_empty
case_end

run_in "rules: --trace says what each rule did, in the order done" "$TMP/a.stream" \
	"ner-rules --trace -r $RULES"
expect_status 0
printf '%s\n' "ner-rules: a:27: rule mr-not-place -> O 'Jordan'" \
	"ner-rules: a:8: rule rank-name -> PER 'Sarfraz Ali'" \
	"ner-rules: a:38: rule given-name -> PER 'Asim Khan'" \
	"ner-rules: a:55: rule service -> ORG 'Pakistan Army'" \
	"ner-rules: a:27: rule mr-name -> PER 'Jordan'" > "$TMP/trace"
cmp -s "$ERR" "$TMP/trace" || fail "trace differs: $(diff "$TMP/trace" "$ERR" | head -5 | tr '\n' ' ')"
cp "$OUT" "$TMP/ruled"
expect_out_has "$(printf '8\t15\tSarfraz\t \tsarfraz\t-\tB-PER\tSarfraz Ali\trule:rank-name\t\n')"
expect_out_has "$(printf '16\t19\tAli\t \tali\t-\tI-PER\t\t\t\n')"
case_end

run_in "rules: a second run changes nothing" "$TMP/ruled" "ner-rules -r $RULES"
expect_status 0
expect_out "$TMP/ruled"
expect_err_empty
case_end

cp "$RULES" "$TMP/nerpipe.rules"
run_in "rules: nerpipe.rules is the default, found in NERPIPE_DATA" "$TMP/a.stream" ner-rules
expect_status 0
expect_out "$TMP/ruled"
case_end

printf 'rule not-gen 1: ([text=Gen line]) => O\n' > "$TMP/two.rules"
run_in "rules: -r is repeatable; priority orders the rules of all files" "$TMP/a.stream" \
	"ner-rules -r $RULES -r $TMP/two.rules | ner-tsv | cut -f4,5"
expect_status 0
expect_out_has "PER	Sarfraz Ali"
expect_out_lacks "RANK	Gen"
expect_out_has "RANK	Maj Gen"
case_end

printf '# one\nrule a 1: ([cap]) => PER\n\nrule b 2: \\\n  ([cpa]) => PER\n' > "$TMP/bad.rules"
run_in "rules: a bad rule is EX_DATAERR naming file and line" "$TMP/a.stream" \
	ner-rules -r "$TMP/bad.rules"
expect_status 65
expect_err_has "ner-rules: $TMP/bad.rules:4: unknown test 'cpa'"
expect_out_empty
case_end

printf 'rule a 1: ([/a(/]) => PER\n' > "$TMP/badre.rules"
run_in "rules: a bad regex says where" "$TMP/a.stream" ner-rules -r "$TMP/badre.rules"
expect_status 65
expect_err_has "ner-rules: $TMP/badre.rules:1: bad regex: missing closing parenthesis at offset 2"
case_end

run_in "rules: a missing rule file is EX_NOINPUT" "$TMP/a.stream" ner-rules -r "$TMP/nope.rules"
expect_status 66
expect_err_has "ner-rules: $TMP/nope.rules: No such file or directory"
expect_out_empty
case_end

printf 'list l nope.gaz\n' > "$TMP/nolist.rules"
run_in "rules: a missing list gazetteer is EX_NOINPUT" "$TMP/a.stream" ner-rules -r "$TMP/nolist.rules"
expect_status 66
expect_err_has "ner-rules: nope.gaz: No such file or directory"
case_end

run "rules: --help" ner-rules --help
expect_status 0
expect_out_has "usage: ner-rules [options] [STREAM...]"
expect_out_has "-r, --rules FILE"
expect_out_has "--trace"
expect_err_empty
case_end

run "rules: --version" ner-rules -V
expect_status 0
expect_out_has "ner-rules "
case_end

run "rules: a bad option is EX_USAGE" ner-rules -x
expect_status 64
expect_err_has "Try 'ner-rules --help'."
expect_out_empty
case_end

# The EXAMPLES of the man pages, each run (tests/setup).
for page in ner-rules.1 ner-rules.5; do
	run_man_examples $page
done

# A pattern that backtracks badly: each token hits pcre2's match limit,
# is taken as no match, and the rule is named once on stderr.
printf 'rule evil 10: ([/((a|aa)+b|x)/]) => PER\n' > "$TMP/evil.rules"
a40=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
printf '%s %s x\n' "$a40" "$a40" | ner-norm | ner-tok > "$TMP/evil.stream"
run_in "rules: a match-limit error is reported once per rule and counted" "$TMP/evil.stream" \
	"ner-rules -r $TMP/evil.rules | ner-tsv -c text,type,source"
expect_status 0
expect_out_text "text	type	source
x	PER	rule:evil
"
expect_err_has "ner-rules: stdin: rule evil: a regular expression hit its match limit on token '$a40' and is taken as not matching (said once per rule)"
expect_err_has "ner-rules: 2 token tests hit the match limit in all"
[ "$(grep -c 'rule evil' "$ERR")" = 1 ] || fail "rule named $(grep -c 'rule evil' "$ERR") times"
case_end
