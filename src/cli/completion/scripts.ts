/**
 * The scripts `grokvid completion SHELL` prints. Each is a thin shim: on every TAB it hands the
 * words typed so far to `grokvid __complete` and offers what comes back, so commands, flags,
 * providers, models, config keys and job ids are worked out in one place
 * (src/cli/completion/candidates.ts) and never drift from the real declarations. File names are
 * offered only where a path goes, when the answer is the one line FILE_NAMES: an empty answer is
 * no candidate at all, not an invitation to list the folder (`--ratio <TAB>` showed files).
 */
export const FILE_NAMES = "!files";

export const completionShells = ["bash", "zsh", "fish"] as const;
export type CompletionShell = (typeof completionShells)[number];

const BASH = `# grokvid completion for bash. Load it now:  source <(grokvid completion bash)
# or for every shell:  grokvid completion bash > ~/.local/share/bash-completion/completions/grokvid
_grokvid_completion() {
  local IFS=$'\\n'
  COMPREPLY=($(command grokvid __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  if [[ "\${COMPREPLY[0]-}" == "${FILE_NAMES}" ]]; then
    local current="\${COMP_WORDS[COMP_CWORD]}"
    if [[ "$current" == "=" ]]; then current=""; fi
    # Quoted, with a / after folders (bash 4+; older bash lists the names as they are).
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$current"))
  fi
}
complete -F _grokvid_completion grokvid
`;

const ZSH = `#compdef grokvid
# grokvid completion for zsh. Load it now:  source <(grokvid completion zsh)   (after compinit)
# or for every shell:  grokvid completion zsh > "\${fpath[1]}/_grokvid"
_grokvid() {
  local -a candidates
  candidates=("\${(@f)$(command grokvid __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${candidates[1]-}" == "${FILE_NAMES}" ]]; then
    _files
  elif (( \${#candidates} > 0 )) && [[ -n "\${candidates[1]}" ]]; then
    compadd -- "\${candidates[@]}"
  fi
}
if [[ "\${funcstack[1]}" == _grokvid ]]; then
  _grokvid "$@"
else
  compdef _grokvid grokvid
fi
`;

const FISH = `# grokvid completion for fish. Load it now:  grokvid completion fish | source
# or for every shell:  grokvid completion fish > ~/.config/fish/completions/grokvid.fish
function __grokvid_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l candidates (command grokvid __complete $words "$current" 2>/dev/null)
    if test "$candidates[1]" = "${FILE_NAMES}"
        __fish_complete_path "$current"
    else
        printf '%s\\n' $candidates
    end
end
complete -c grokvid -f -a '(__grokvid_complete)'
`;

export const completionScripts: Record<CompletionShell, string> = { bash: BASH, zsh: ZSH, fish: FISH };
