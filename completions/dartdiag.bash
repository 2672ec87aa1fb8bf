# bash completion for dartdiag
_dartdiag() {
  local cur prev sub
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  sub="${COMP_WORDS[1]}"
  local caps="--max-bundle-bytes --max-entry-bytes --max-ratio --max-entries --max-depth --max-line-bytes --max-seconds --max-kept-events --max-warning-templates"
  local packs="--rules --no-default-rules --lang"
  case "$prev" in
    -f|--format)
      case "$sub" in
        batch) COMPREPLY=($(compgen -W "jsonl csv text" -- "$cur")) ;;
        rules) COMPREPLY=($(compgen -W "text markdown json" -- "$cur")) ;;
        explain) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "text json html" -- "$cur")) ;;
      esac
      return ;;
    --fail-on) COMPREPLY=($(compgen -W "error warning info never" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --lang) COMPREPLY=($(compgen -W "en zh-TW" -- "$cur")); return ;;
    --log-tz) COMPREPLY=($(compgen -W "UTC +01:00 +08:00 -05:00" -- "$cur")); return ;;
    --rules|--redact-map) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ $COMP_CWORD -eq 1 && "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "batch rules explain" -- "$cur") $(compgen -f -- "$cur"))
    return
  fi
  local opts
  case "$sub" in
    batch) opts="-f --format -j --jobs --sort -q --quiet -v --verbose --fail-on --ever-failed --log-tz --redact --redact-map $packs $caps -h --help" ;;
    rules)
      if [[ $COMP_CWORD -eq 2 ]]; then COMPREPLY=($(compgen -W "list show check lint" -- "$cur")); return; fi
      opts="-f --format $packs -h --help" ;;
    explain) opts="-f --format --color $packs $caps -h --help" ;;
    *) opts="-f --format -o --output --fail-on --brief --ever-failed --log-tz --color --swg-ip --explain --redact --redact-map $packs $caps -h --help --version" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _dartdiag dartdiag
