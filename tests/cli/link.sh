# ner-link: partial names, acronyms, ranks and canonical names.
. "$(dirname "$0")/../setup"

ner-gazc -q -o "$TMP/small.gaz" "$TOP/tests/data/small.tsv"
printf 'Muhammad Saeed\tPER\t\t\nMohammed Saeed\tPER\tMohammed Saeed\t\n' > "$TMP/two.tsv"
ner-gazc -q -o "$TMP/two.gaz" "$TMP/two.tsv"
chain() { echo "ner-norm $* | ner-tok | ner-gaz -g $TMP/small.gaz -g $TMP/two.gaz | ner-link | ner-tsv --no-header"; }

printf 'Gen Asim Munir met Maj Gen Mohammad Bagheri in Tehran.\nMunir said Bagheri agreed, and Baqeri smiled.\n' > "$TMP/a.txt"
run "link: a surname alone is the person named before, with the rank" "$(chain "$TMP/a.txt") | cut -f2-9"
expect_status 0
expect_out_has "$(printf '55\t60\tPER\tMunir\tAsim Munir\tlink:partial\tGeneral\tOF-9')"
expect_out_has "$(printf '66\t73\tPER\tBagheri\tMohammad Bagheri\tlink:partial\tMajor General\tOF-7')"
expect_out_has "$(printf '86\t92\tPER\tBaqeri\tMohammad Bagheri\tsmall\tMajor General\tOF-7')"
expect_out_has "$(printf '4\t14\tPER\tAsim Munir\tAsim Munir\tsmall\tGeneral\tOF-9')"
case_end

printf 'Munir Akram spoke. Asim Munir listened.\n' > "$TMP/b.txt"
run "link: a surname followed by another name is left alone" "$(chain "$TMP/b.txt") | cut -f4,5"
expect_status 0
expect_out_text "$(printf 'PER\tAsim Munir')
"
case_end

printf 'The Islamic Revolutionary Guard Corps (IRGC) said the IRGC would help.\nIRGC ships sailed; irgc is not it.\n' > "$TMP/c.txt"
run "link: an acronym defined in brackets, and its later uses" "$(chain "$TMP/c.txt") | cut -f2-7"
expect_status 0
expect_out_text "$(printf '4\t37\tORG\tIslamic Revolutionary Guard Corps\tIslamic Revolutionary Guard Corps\tlink:acronym
39\t43\tORG\tIRGC\tIslamic Revolutionary Guard Corps\tlink:acronym
54\t58\tORG\tIRGC\tIslamic Revolutionary Guard Corps\tlink:acronym
71\t75\tORG\tIRGC\tIslamic Revolutionary Guard Corps\tlink:acronym')
"
case_end

printf 'Officials of the Pakistan Army (PA) met.\n' > "$TMP/d.txt"
run "link: an acronym after a tagged name takes its type" "$(chain "$TMP/d.txt") | cut -f4,5,6"
expect_status 0
expect_out_has "$(printf 'ORG\tPA\tPakistan Army')"
case_end

printf 'Chairman of the Pakistan Army (CPA) spoke.\n' > "$TMP/e.txt"
run "link: letters in brackets that do not spell the name are left alone" "$(chain "$TMP/e.txt") | cut -f4,5"
expect_status 0
expect_out_lacks "CPA"
case_end

printf 'Muhammad Saeed spoke.\n' > "$TMP/f1.txt"
printf 'Mohammed Saeed spoke.\n' > "$TMP/f2.txt"
run "link: a canonical name does not depend on the other documents" \
	"$(chain "$TMP/f1.txt" "$TMP/f2.txt") | cut -f1,6; $(chain "$TMP/f2.txt" "$TMP/f1.txt") | cut -f1,6"
expect_status 0
expect_out_text "$(printf 'f1\tMuhammad Saeed\nf2\tMohammed Saeed\nf2\tMohammed Saeed\nf1\tMuhammad Saeed')
"
case_end

# Names that fold alike but are different names must never be joined
# (fold.h: fold_variant): a wrong identity is worse than a missed one.
printf 'Mohammad Karami\tPER\t\t\nKarami\tPER\tMohammad Karami\t\nManzoor Pashteen\tPER\t\t\nPashteen\tPER\tManzoor Pashteen\t\n' > "$TMP/people.tsv"
ner-gazc -q -o "$TMP/people.gaz" "$TMP/people.tsv"
pchain() { echo "ner-norm $* | ner-tok | ner-gaz -g $TMP/people.gaz | ner-link | ner-tsv --no-header"; }

printf 'Brig. Gen. Hamid Karimi spoke. Karimi said more.\n' > "$TMP/k.txt"
run "link: Karimi is not Karami" "$(pchain "$TMP/k.txt") | cut -f5,6"
expect_status 0
expect_out_lacks "Mohammad Karami"
case_end

printf 'Pashtun elders met Pashtun leaders.\n' > "$TMP/p.txt"
run "link: Pashtun is not Pashteen" "$(pchain "$TMP/p.txt") | cut -f4-6"
expect_status 0
expect_out_text ""
case_end

printf 'Hassan Nasrallah met Hussain Nasrallah.\n' > "$TMP/h.txt"
printf 'rule two 1: ([cap] [cap]) => PER\n' > "$TMP/h.rules"
run "link: Hassan and Hussain are two people in one article" \
	"ner-norm $TMP/h.txt | ner-tok | ner-rules -r $TMP/h.rules | ner-link | ner-tsv --no-header | cut -f5,6,7"
expect_status 0
expect_out_text "$(printf 'Hassan Nasrallah\tHassan Nasrallah\trule:two\nHussain Nasrallah\tHussain Nasrallah\trule:two')
"
case_end

printf 'Gen Mohammad Karami spoke. Later Karami and Karimi left.\n' > "$TMP/kk.txt"
run "link: a surname joins the full name only when spelt as a variant" "$(pchain "$TMP/kk.txt") | cut -f5,6,7"
expect_status 0
expect_out_has "$(printf 'Karami\tMohammad Karami\tpeople')"
expect_out_lacks "Karimi"
case_end

printf 'Mohammad Karamy spoke.\n' > "$TMP/mk.txt"
run "link: a respelt full name says so in its source" "$(pchain "$TMP/mk.txt") | cut -f5,6,7"
expect_status 0
expect_out_text "$(printf 'Mohammad Karamy\tMohammad Karami\tpeople~fold')
"
case_end

# Given names are never respelt: people.tsv lists their variants, and
# Syed (sayyid) is not Said (sa'id), though the spellings look alike.
printf 'Said Jalili\tPER\t\t\nMuhammad Karimi\tPER\t\t\n' > "$TMP/given.tsv"
ner-gazc -q -o "$TMP/given.gaz" "$TMP/given.tsv"
printf 'Syed Jalili spoke. Mohammad Karimi replied.\n' > "$TMP/sg.txt"
run "link: a given name is never respelt onto a known person" \
	"ner-norm $TMP/sg.txt | ner-tok | ner-gaz -g $TMP/given.gaz | ner-link | ner-tsv --no-header"
expect_status 0
expect_out_text ""
case_end

printf '#doc\tx\nnonsense\n#end\tx\n' > "$TMP/bad.stream"
run_in "link: a malformed stream is EX_DATAERR" "$TMP/bad.stream" ner-link
expect_status 65
expect_err_has "<stdin>:2:"
case_end

# One mention of 20,000 tokens (a B-PER and 19,999 I-PER): ner-link is
# linear in its length.  It once indexed every prefix and suffix of the
# key, 3.3 GB at this length; here it must fit a data segment of 64 MiB
# (skipped where the limit cannot be set, as in sanitizer builds).
python3 - > "$TMP/long.stream" <<'PY'
n = 20000
print("#doc\tlong")
for i in range(n):
    first = i == 0
    print(f"{5 * i}\t{5 * i + 4}\tZorb\t{' ' if i < n - 1 else ''}\tzorb\t"
          f"{'SL' if first else '-'}\t{'B-PER' if first else 'I-PER'}\t"
          f"{'Zorb' if first else ''}\t{'t' if first else ''}\t")
print("#text\t" + " ".join(["Zorb"] * n) + "\\n")
print("#end\tlong")
PY
if [ -z "${VALGRIND:-}" ] && bash -c "ulimit -d 65536 && ner-link --version" >/dev/null 2>&1; then
	run_in "link: a 20,000-token mention within 64 MiB" "$TMP/long.stream" \
		"(ulimit -d 65536 && exec ner-link) | ner-tsv --no-header | cut -f4,7"
	expect_status 0
	expect_out_text "PER	t
"
	case_end
fi
