# sf.fish - fish completion for sf.
#
# A thin wrapper: sf itself knows its commands, verbs, options and option
# values, and prints the candidates for the word being completed with
#
#     sf __complete -- <the words of the command line, the last one the
#                       word being completed, possibly empty>
#
# one per line as "word<TAB>description", which is just what fish wants.
# When sf has nothing to offer and the word is not an option, it completes
# file names instead.  The sf run is the one typed (./sf, build/sf,
# ~/bin/sf), so completion matches that binary even when it is not on PATH.
#
# Install as $(pkg-config --variable=completionsdir fish)/sf.fish.
# tests/cli/completion.sh checks it.

function __sf_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l sf $words[1]
    set -l opt ''
    string match -q -- '~/*' $sf; and set sf $HOME/(string sub -s 3 -- $sf)
    # "--role=adm": sf wants the value as a word of its own, after its
    # option; the candidates then get the "--role=" back.
    if string match -qr -- '^--[^=]+=' $cur
        set opt (string replace -r -- '=.*' '' $cur)=
        set words $words (string sub -e -1 -- $opt)
        set cur (string replace -r -- '^[^=]*=' '' $cur)
    end
    set -l out
    command -q -- $sf; and set out ($sf __complete -- $words $cur 2>/dev/null)
    if not set -q out[1]; and not string match -q -- '-*' $cur
        set out (__fish_complete_path $cur)
    end
    set -q out[1]; and printf '%s\n' $opt$out
end

complete -c sf -f -a '(__sf_complete)'
