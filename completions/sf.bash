# sf.bash - bash completion for sf.
#
# A thin wrapper: sf itself knows its commands, verbs, options and option
# values, and prints the candidates for the word being completed with
#
#     sf __complete -- <the words of the command line, the last one the
#                       word being completed, possibly empty>
#
# one per line as "word<TAB>description"; bash shows only the words.  When
# sf has nothing to offer and the word is not an option, it completes file
# names instead.  The sf run is the one typed (./sf, build/sf, ~/bin/sf),
# so completion matches that binary even when it is not on PATH.
#
# Install as $(pkg-config --variable=completionsdir bash-completion)/sf,
# or source it from ~/.bashrc.  tests/cli/completion.sh checks it.

_sf() {
	local cword=${COMP_CWORD:-0} cur sf line i
	local -a words=() reply=()

	cur=${COMP_WORDS[cword]-}
	sf=${COMP_WORDS[0]-sf}
	[[ $sf == "~/"* ]] && sf=$HOME/${sf#"~/"}

	# bash splits "--role=adm" into "--role" "=" "adm"; sf wants the
	# value as a word of its own, after its option.
	if [[ $cur == "=" ]]; then
		cur=
	fi
	for ((i = 0; i < cword; i++)); do
		[[ ${COMP_WORDS[i]} == "=" && ${COMP_WORDS[i-1]-} == --* ]] && continue
		words+=("${COMP_WORDS[i]}")
	done
	words+=("$cur")

	while IFS= read -r line; do
		reply+=("${line%%$'\t'*}")
	done < <("$sf" __complete -- "${words[@]}" 2>/dev/null)

	if ((${#reply[@]})); then
		COMPREPLY=("${reply[@]}")
	elif [[ $cur != -* ]]; then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	else
		COMPREPLY=()
	fi
}

complete -F _sf sf
