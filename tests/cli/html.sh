# ner-html: the page, its escaping, its index, its errors, and the page as
# a real browser (Debian's chromium, headless) parses it.  The browser
# case keeps what it saw in test-out/ at the top of the tree:
# ner-html-BIN.html (the page), ner-html-BIN.dom.html (the DOM as chromium
# parsed it) and ner-html-BIN.png (a screenshot), BIN being bin or bin-san.
. "$(dirname "$0")/../setup"

SAMPLES=$(ls "$TOP"/tests/corpus/*.txt)
CHAIN="ner-tok | ner-gaz | ner-rules | ner-link"

# marks FILE: the number of <mark> elements in FILE.
marks() {
	grep -o '<mark[ >]' "$1" | wc -l
}

# --- options ------------------------------------------------------------------

run "html: --help" ner-html --help
expect_status 0
expect_out_has "usage: ner-html [options] [STREAM...]"
expect_out_has "--title TEXT"
expect_err_empty
case_end

run "html: --version" ner-html --version
expect_status 0
expect_out_text "ner-html 0.1.0
"
case_end

run "html: a bad option is EX_USAGE" ner-html -x
expect_status 64
expect_out_empty
expect_err_has "Try 'ner-html --help'."
case_end

run "html: -n wants a count" ner-html -n ten
expect_status 64
expect_out_empty
expect_err_has "-n: want a count, not 'ten'"
case_end

run "html: an empty --title is refused" ner-html --title ''
expect_status 64
expect_out_empty
case_end

# --- the page -------------------------------------------------------------------

run "html: no input still gives a whole page" ner-html
expect_status 0
expect_out_has '<!DOCTYPE html>'
expect_out_has '<meta charset="utf-8">'
expect_out_has '<p>No documents.</p>'
expect_out_has '0 documents, 0 mentions, 0 entities.'
[ "$(tail -1 "$OUT")" = "</html>" ] || fail "the page does not end in </html>"
case_end

ner-norm $SAMPLES | eval "$CHAIN" > "$TMP/samples.stream"
ner-tsv -H "$TMP/samples.stream" > "$TMP/samples.tsv"
rows=$(wc -l < "$TMP/samples.tsv")

run "html: one <mark> for each TSV row of the samples" ner-html "$TMP/samples.stream"
expect_status 0
expect_err_empty
[ "$rows" -gt 100 ] || fail "only $rows TSV rows"
[ "$(marks "$OUT")" = "$rows" ] || fail "$(marks "$OUT") marks, $rows TSV rows"
[ "$(grep -o '</mark>' "$OUT" | wc -l)" = "$rows" ] || fail "not one </mark> a mark"
# Marks by type, as the TSV counts them.
for type in PER RANK LOC ORG; do
	want=$(awk -F'\t' -v t=$type '$4 == t' "$TMP/samples.tsv" | wc -l)
	got=$(grep -o "<mark [^>]*data-type=\"$type\"" "$OUT" | wc -l)
	[ "$got" = "$want" ] || fail "$type: $got marks, $want rows"
done
[ "$(grep -c '^<article id="d[0-9]*">$' "$OUT")" = 6 ] || fail "not six articles"
case_end
cp "$OUT" "$TMP/samples.html"

run "html: the same input gives the same bytes" ner-html "$TMP/samples.stream"
expect_out "$TMP/samples.html"
case_end

sed 's/^ner-tsv$/ner-html/' "$TOP/pipeline.conf" > "$TMP/html.conf"
run "html: nerpipe ends the chain with ner-html in one process" \
	nerpipe -c "$TMP/html.conf" $SAMPLES
expect_status 0
expect_out "$TMP/samples.html"
case_end

run "html: and as a shell pipeline (nerpipe --exec)" \
	nerpipe -x -c "$TMP/html.conf" $SAMPLES
expect_status 0
expect_out "$TMP/samples.html"
case_end

# What the hover text holds: canonical name, rank and NATO code.
run "html: a person's title gives canonical name, rank and NATO code" \
	ner-html "$TMP/samples.stream"
expect_out_has "data-type=\"PER\" data-entity=\"PER-9a322495ac961179\" title=\"Asim Munir $(printf '\302\267') Field Marshal $(printf '\302\267') OF-10\">Munir</mark>"
expect_out_has "data-type=\"RANK\" data-entity=\"RANK-686b28b0e33d7d8b\" title=\"General $(printf '\302\267') OF-9\">Gen</mark>"
case_end

# --- the index --------------------------------------------------------------------

# The index as the TSV gives it: mentions, the least canonical name, type,
# documents; most mentions first, then by name, type and entity id.
awk -F'\t' '{ n[$11]++; if (!($11 in name) || $6 < name[$11]) name[$11] = $6
	      type[$11] = $4; if (!(($11, $1) in seen)) { seen[$11, $1] = 1; d[$11]++ } }
	END { for (e in n) printf "%d\t%s\t%s\t%d\t%s\n", n[e], name[e], type[e], d[e], e }' \
	"$TMP/samples.tsv" | sort -t "$(printf '\t')" -k1,1nr -k2,2 -k3,3 -k5,5 |
	cut -f1-4 > "$TMP/index.want"
run "html: the index counts mentions by entity id, ties by name" \
	ner-html -n 100000 "$TMP/samples.stream"
sed -n 's|^<tr><td><a href="#e[0-9]*" title="[^"]*"><span class="[a-z]*">\(.*\)</span></a></td><td>\([A-Z]*\)</td><td class="n">\([0-9]*\)</td><td class="n">\([0-9]*\)</td></tr>$|\3\t\1\t\2\t\4|p' \
	"$OUT" | sed "s/&#39;/'/g; s/&quot;/\"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\\&/g" > "$TMP/index.got"
cmp -s "$TMP/index.got" "$TMP/index.want" ||
	fail "index differs: $(diff "$TMP/index.want" "$TMP/index.got" | head -4 | tr '\n' ' ')"
[ "$(wc -l < "$TMP/index.got")" -gt 50 ] || fail "only $(wc -l < "$TMP/index.got") entities"
case_end

run "html: -n 3 keeps the three most frequent" ner-html -n 3 "$TMP/samples.stream"
[ "$(grep -c '^<tr><td><a href="#e' "$OUT")" = 3 ] || fail "not three index rows"
expect_out_has "; the first 3."
expect_out_has '<a href="#index">'
case_end

run "html: -n 0 leaves the index out" ner-html -n 0 "$TMP/samples.stream"
expect_out_lacks 'id="index"'
expect_out_lacks 'href="#index"'
[ "$(marks "$OUT")" = "$rows" ] || fail "$(marks "$OUT") marks"
case_end

# Each index row links to the first mention of its entity.
run "html: index links lead to the entity's first mention" ner-html "$TMP/samples.stream"
link=$(grep -o '^<tr><td><a href="#e[0-9]*"' "$OUT" | head -1 | sed 's/.*#//; s/"//')
grep -q "<mark class=\"[a-z]*\" id=\"$link\"" "$OUT" || fail "no mark with id $link"
[ "$(grep -o ' id="e[0-9]*"' "$OUT" | sort | uniq -d | wc -l)" = 0 ] || fail "ids repeat"
case_end

# The index does not depend on the order of the documents (anchors aside).
ner-norm $(ls -r "$TOP"/tests/corpus/*.txt) | eval "$CHAIN" > "$TMP/reversed.stream"
run "html: the index is the same in any order of the documents" \
	"ner-html $TMP/reversed.stream | sed -n '/^<section id=\"index\">/,\$p' | sed 's/#e[0-9]*//'"
ner-html "$TMP/samples.stream" | sed -n '/^<section id="index">/,$p' | sed 's/#e[0-9]*//' > "$TMP/index.fwd"
expect_out "$TMP/index.fwd"
case_end

# --- escaping ------------------------------------------------------------------------

# Markup, ampersands and quotes in the text, a title, a URL, a site and in
# a canonical name; a URL of another scheme; control characters and
# invalid UTF-8.
printf 'Bud O%sBrien\tPER\tLiam "Bud" O%sBrien <the&one>\t\n' "'" "'" > "$TMP/q.tsv"
ner-gazc -q -o "$TMP/q.gaz" "$TMP/q.tsv"
{
	printf '#doc\tevil\n'
	printf '#meta\ttitle\t<script>alert(1)</script> & "q" %sa%s\n' "'" "'"
	printf '#meta\turl\thttps://example.org/?a=1&b="x"<y>\n'
	printf '#meta\tsite\tA & B <i>news</i>\n'
	printf '#meta\tdate\t2025-01-19"><b>\n'
	printf '#text\t<script>document.body.setAttribute("data-pwned","1")</script> & Bud O%sBrien said "yes" \\\\ <b>no</b>\\n\n' "'"
	printf '#end\tevil\n'
	printf '#doc\tjs\n#meta\turl\tjavascript:alert(1)\n#text\tBell\\x07 and \\x01 bytes\\n\n#end\tjs\n'
} | sed 's/\\x07/\x07/; s/\\x01/\x01/' > "$TMP/evil.stream"
printf '#doc\tbad\n#text\tbad \377 byte\n#end\tbad\n' > "$TMP/bad.stream"
ner-tok < "$TMP/evil.stream" | ner-gaz -g "$TMP/q.gaz" > "$TMP/evil.tagged"

run "html: text, title, URL, site and date are escaped" ner-html "$TMP/evil.tagged"
expect_status 0
expect_out_lacks '<script'
expect_out_has '<h2>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;</h2>'
expect_out_has '<a href="https://example.org/?a=1&amp;b=%22x%22%3Cy%3E">https://example.org/?a=1&amp;b=&quot;x&quot;&lt;y&gt;</a>'
expect_out_has 'A &amp; B &lt;i&gt;news&lt;/i&gt;'
expect_out_has '2025-01-19&quot;&gt;&lt;b&gt;'
expect_out_has '&lt;script&gt;document.body.setAttribute(&quot;data-pwned&quot;,&quot;1&quot;)&lt;/script&gt; &amp; '
expect_out_has 'said &quot;yes&quot; \ &lt;b&gt;no&lt;/b&gt;'
case_end

run "html: a name with quotes is escaped in the mark and the index" ner-html "$TMP/evil.tagged"
expect_out_has 'title="Liam &quot;Bud&quot; O&#39;Brien &lt;the&amp;one&gt;">Bud O&#39;Brien</mark>'
expect_out_has '<span class="per">Liam &quot;Bud&quot; O&#39;Brien &lt;the&amp;one&gt;</span>'
[ "$(marks "$OUT")" = 1 ] || fail "$(marks "$OUT") marks, want 1"
case_end

run "html: only http and https URLs become links" ner-html "$TMP/evil.tagged"
expect_out_lacks 'href="javascript'
expect_out_has '<span class="url">javascript:alert(1)</span>'
case_end

run "html: control characters and invalid UTF-8 become U+FFFD" \
	"ner-html $TMP/evil.tagged $TMP/bad.stream"
expect_status 0
expect_out_has "$(printf 'Bell\357\277\275 and \357\277\275 bytes')"
expect_out_has "$(printf 'bad \357\277\275 byte')"
LC_ALL=C grep -q "$(printf '[\001\007]')" "$OUT" && fail "a control character is left"
case_end

# --- errors ---------------------------------------------------------------------------

head -n 60 "$TMP/samples.stream" > "$TMP/cut.stream"
run "html: a truncated stream is EX_DATAERR, and the page is still whole" \
	ner-html "$TMP/cut.stream"
expect_status 65
expect_err_has "ner-html: "
expect_out_has '<p class="error">truncated stream</p>'
expect_out_has 'The input stopped on an error'
expect_out_has '<section id="index">'
[ "$(tail -1 "$OUT")" = "</html>" ] || fail "the page does not end in </html>"
case_end

{ sed -n '1,/^#end/p' "$TMP/samples.stream"; printf 'not a stream line\n'; } > "$TMP/malformed.stream"
run "html: a malformed line is EX_DATAERR after the documents before it" \
	ner-html "$TMP/malformed.stream"
expect_status 65
expect_err_has "malformed.stream:"
[ "$(grep -c '^<article' "$OUT")" = 1 ] || fail "not one article"
expect_out_has 'The input stopped on an error'
[ "$(tail -1 "$OUT")" = "</html>" ] || fail "the page does not end in </html>"
case_end

run "html: an unreadable file is EX_NOINPUT; the others are still read" \
	ner-html "$TMP/nope.stream" "$TMP/evil.tagged"
expect_status 66
expect_err_has "nope.stream"
expect_out_has '<article id="d1">'
expect_out_lacks 'The input stopped on an error'
[ "$(tail -1 "$OUT")" = "</html>" ] || fail "the page does not end in </html>"
case_end

for i in 1 2 3 4 5 6 7 8; do cat "$TMP/samples.stream"; done > "$TMP/long.stream"
run "html: a closed output pipe ends it quietly with 0" \
	"(ner-html $TMP/long.stream | head -c 100 > /dev/null; exit \${PIPESTATUS[0]})"
expect_status 0
expect_err_empty
case_end

if [ -w /dev/full ]; then
	run "html: a full disk is EX_IOERR" "ner-html $TMP/samples.stream > /dev/full"
	expect_status 74
	expect_err_has "<stdout>"
	case_end
fi

# --- valid HTML5 (tidy) ----------------------------------------------------------------

ner-html "$TMP/evil.tagged" > "$TMP/evil.html"
run "html: tidy finds no error or warning in the pages" \
	"tidy -q -e $TMP/samples.html && tidy -q -e $TMP/evil.html"
expect_status 0
expect_err_empty
case_end

# --- the man page's examples ---------------------------------------------------------------

# Each run, as in tests/setup.
run_man_examples ner-html.1

# --- in a browser -----------------------------------------------------------------------------

# The samples and the document of markup, with its script, as chromium
# parses them: as many <mark> elements as mentions, no <script> element,
# and the script shown as text and never run.
SHOT=$TOP/test-out
NAME=ner-html-$(basename "$BIN")
case_begin "html: chromium shows every mention and runs no script (see test-out/$NAME.png)"
if ! command -v chromium > /dev/null; then
	fail "chromium is not installed: 'make check' installs it (it is in the Makefile's DEBS); or apt-get install chromium"
else
	mkdir -p "$SHOT"
	cat "$TMP/samples.stream" "$TMP/evil.tagged" | ner-html --title 'ner-html browser test' > "$SHOT/$NAME.html"
	want=$(($(cat "$TMP/samples.stream" "$TMP/evil.tagged" | ner-tsv -H | wc -l)))
	rm -f "$SHOT/$NAME.png" "$SHOT/$NAME.dom.html"
	timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-extensions --disable-background-networking --disable-sync \
		--disable-component-update --user-data-dir="$TMP/chromium" \
		--window-size=1200,2000 --screenshot="$SHOT/$NAME.png" \
		--dump-dom "file://$SHOT/$NAME.html" > "$SHOT/$NAME.dom.html" 2> "$TMP/chromium.err"
	st=$?
	dom=$SHOT/$NAME.dom.html
	[ "$st" = 0 ] || fail "chromium exited $st: $(grep -v dbus "$TMP/chromium.err" | tail -3)"
	[ "$(marks "$dom")" = "$want" ] || fail "$(marks "$dom") marks in the DOM, $want mentions"
	grep -q '<script' "$dom" && fail "a <script> element in the DOM"
	grep -q 'data-pwned="1"' "$dom" && fail "the script in the text ran"
	grep -qF '&lt;script&gt;document.body' "$dom" || fail "the text <script> is not in the DOM"
	grep -q '<section id="index">' "$dom" || fail "no index in the DOM"
	[ "$(grep -o '<article id=' "$dom" | wc -l)" = 8 ] || fail "not eight articles in the DOM"
	[ -s "$SHOT/$NAME.png" ] || fail "no screenshot"
fi
case_end
