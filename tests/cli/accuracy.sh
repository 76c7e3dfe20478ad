# Accuracy of the default chain on the project's own annotated sets: the
# field cases must be exactly right, the two sample sets good enough.
# These are floors measured by ner-eval, not timings.
. "$(dirname "$0")/../setup"

# score DIR MIN: tag DIR/*.txt and require micro exact F1 >= MIN.
score() {
	run "accuracy: $1 at micro F1 >= $2" \
		"nerpipe $TOP/tests/$1/*.txt > $TMP/pred.tsv && ner-eval --min $2 $TOP/tests/$1/gold.tsv $TMP/pred.tsv"
	expect_status 0
	case_end
}

score field 1.0
score corpus 0.95
score world 0.95
