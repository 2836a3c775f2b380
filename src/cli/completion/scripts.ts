/**
 * The scripts `grokvid completion SHELL` prints. Each is a thin shim: on every TAB it hands the
 * words typed so far to `grokvid __complete` and offers what comes back, so commands, flags,
 * providers, models and job ids are worked out in one place (src/completion/candidates.ts) and
 * never drift from the real declarations. An empty answer falls back to file names.
 */
export const completionShells = ["bash", "zsh", "fish"] as const;
export type CompletionShell = (typeof completionShells)[number];

const BASH = `# grokvid completion for bash. Load it now:  source <(grokvid completion bash)
# or for every shell:  grokvid completion bash > ~/.local/share/bash-completion/completions/grokvid
_grokvid_completion() {
  local IFS=$'\\n'
  COMPREPLY=($(command grokvid __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _grokvid_completion grokvid
`;

const ZSH = `#compdef grokvid
# grokvid completion for zsh. Load it now:  source <(grokvid completion zsh)   (after compinit)
# or for every shell:  grokvid completion zsh > "\${fpath[1]}/_grokvid"
_grokvid() {
  local -a candidates
  candidates=("\${(@f)$(command grokvid __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if (( \${#candidates} > 0 )) && [[ -n "\${candidates[1]}" ]]; then
    compadd -- "\${candidates[@]}"
  else
    _files
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
    if test (count $candidates) -gt 0
        printf '%s\\n' $candidates
    else
        __fish_complete_path "$current"
    end
end
complete -c grokvid -f -a '(__grokvid_complete)'
`;

export const completionScripts: Record<CompletionShell, string> = { bash: BASH, zsh: ZSH, fish: FISH };
