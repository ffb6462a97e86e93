#!/bin/bash
# The man pages, the bash completion and --help are made from the same option
# and command tables: for every command, each lists the same options (and the
# same values of each enumerated one), and the pages render without a warning.
. "$(dirname "$0")/../lib.sh"

version=$(sed -n 's/^VERSION := //p' "$ROOT/Makefile")
check_eq "--version" "$("$FLOWSCOPE" --version)" "flowscope $version"

commands=$("$FLOWSCOPE" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
check_true "--help lists the commands" test "$(echo "$commands" | wc -w)" -ge 8

# What completion offers after `flowscope WORDS...`: COMPREPLY, one per line.
complete_words() {
	bash -c 'source "$1"; shift; COMP_WORDS=(flowscope "$@"); COMP_CWORD=$(($# ));
		_flowscope; printf "%s\n" "${COMPREPLY[@]}"' _ "$BUILD/flowscope.bash" "$@"
}
check_eq "completion: the commands" "$(complete_words "" | grep -v '^--' | sort)" \
	"$(echo "$commands" | sort)"

page=$BUILD/man/flowscope.8
check_eq "flowscope(8) renders without warnings" "$(groff -man -ww -z "$page" 2>&1)" ""
for c in $commands; do
	check_match "flowscope(8) names $c" "$(man -l "$page" 2>/dev/null | col -b)" "flowscope-$c\(8\)"
done

for c in $commands; do
	page=$BUILD/man/flowscope-$c.8
	check_true "flowscope-$c(8) exists" test -s "$page"
	check_eq "flowscope-$c(8) renders without warnings" "$(groff -man -ww -z "$page" 2>&1)" ""
	help=$("$FLOWSCOPE" "$c" --help)
	# Long options, as --help shows them, as the man page shows them, as completion offers them.
	from_help=$(echo "$help" | grep -oE '^ +(-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort)
	from_man=$(man -l "$page" 2>/dev/null | col -b | sed -n '/^OPTIONS/,/^EXIT STATUS/p' |
		grep -oE '^ +(-[a-z], )?--[a-z-]+' |
		grep -oE -- '--[a-z-]+' | sort)
	from_completion=$(complete_words "$c" "--" | sort)
	check_eq "$c: the man page has --help's options" "$from_man" "$from_help"
	check_eq "$c: completion offers --help's options" "$from_completion" "$from_help"
	# Each enumerated option's values: "--engine kernel|user" in --help.
	while read -r opt values; do
		[ -n "$opt" ] || continue
		check_eq "$c $opt: completion offers its values" \
			"$(complete_words "$c" "$opt" "" | tr '\n' '|' | sed 's/|$//')" "$values"
	done < <(echo "$help" | grep -oE -- '--[a-z-]+ [a-z0-9]+(\|[a-z0-9]+)+' | sort -u)
done
# A config file holds long options, one per line; the command line wins.
printf '# the DeepMAD inputs\n  features   deepmad\n\n' >"$TMP/f.conf"
check_eq "--config: its options apply" \
	"$("$FLOWSCOPE" features --config "$TMP/f.conf" | sed 1d | wc -l)" \
	"$("$FLOWSCOPE" features --features deepmad | sed 1d | wc -l)"
check_eq "--config: the command line wins" \
	"$("$FLOWSCOPE" features --config="$TMP/f.conf" --features cic)" "$("$FLOWSCOPE" features --features cic)"
printf 'features deepmad\nengine user\n' >"$TMP/bad.conf"
err=$("$FLOWSCOPE" features --config "$TMP/bad.conf" 2>&1)
check_eq "--config, an option the command lacks: exit" "$?" 2
check_eq "--config, an option the command lacks: one line" "$err" \
	"flowscope: $TMP/bad.conf: line 2: 'engine' is not an option of features"
printf 'markdown yes\n' >"$TMP/bad.conf"
err=$("$FLOWSCOPE" features --config "$TMP/bad.conf" 2>&1)
check_eq "--config, a value for a flag" "$err" "flowscope: $TMP/bad.conf: line 1: markdown takes no value"
finish
