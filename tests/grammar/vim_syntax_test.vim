" Loads the generated Vim syntax file and checks it: sourcing must raise no error, and
" the assertion lines of the highlighting sample (`#  ^^^ scope`, written for the
" TextMate grammar) must find the matching Vim syntax group under each caret.
" Run: ORCH_VIM_SYNTAX=orch.vim ORCH_VIM_SAMPLE=sample.orch vim -es -N -u NONE -i NONE -S vim_syntax_test.vim
let s:errors = []
let s:checks = 0
try
  syntax on
  execute 'edit ' . fnameescape($ORCH_VIM_SAMPLE)
  " Vim's own detection may have guessed another filetype for `#` comments; start clean.
  syntax clear
  unlet! b:current_syntax
  let v:errmsg = ''
  execute 'source ' . fnameescape($ORCH_VIM_SYNTAX)
  if v:errmsg !=# ''
    call add(s:errors, 'sourcing the syntax file: ' . v:errmsg)
  endif
catch
  call add(s:errors, 'sourcing the syntax file: ' . v:exception)
endtry
if get(b:, 'current_syntax', '') !=# 'orch'
  call add(s:errors, 'b:current_syntax is not "orch" after sourcing')
endif

" TextMate scope prefix -> Vim group (longest prefix wins; unmapped scopes are skipped).
let s:map = {
      \ 'keyword.declaration': 'orchDeclaration', 'keyword.control': 'orchControl',
      \ 'keyword.operator.word': 'orchOperatorWord', 'constant.language': 'orchConstant',
      \ 'keyword.other.unit': 'orchDuration', 'keyword.other': 'orchKeyword',
      \ 'keyword.operator': 'orchOperator', 'comment.line.shebang': 'orchShebang',
      \ 'comment.line.double-number-sign': 'orchDocComment', 'comment.line.number-sign': 'orchComment',
      \ 'string.quoted': 'orchString', 'constant.character.escape': 'orchEscape',
      \ 'punctuation.section.interpolation': 'orchInterpolation', 'meta.interpolation': 'orchInterpolation',
      \ 'constant.numeric.duration': 'orchDuration', 'constant.numeric.integer': 'orchNumber',
      \ 'constant.numeric.float': 'orchFloat', 'support.function.builtin': 'orchBuiltin',
      \ 'support.type.primitive': 'orchType', 'variable.other.quoted': 'orchQuotedName',
      \ }
let s:prefixes = sort(keys(s:map), {a, b -> len(b) - len(a)})

function! s:GroupFor(scope) abort
  for l:prefix in s:prefixes
    if stridx(a:scope, l:prefix) == 0
      return s:map[l:prefix]
    endif
  endfor
  return ''
endfunction

function! s:NamesAt(lnum, col) abort
  let l:names = map(synstack(a:lnum, a:col), {_, id -> synIDattr(id, 'name')})
  " Region delimiters drawn with matchgroup= are not on the stack; ask synID for them.
  call add(l:names, synIDattr(synID(a:lnum, a:col, 0), 'name'))
  return l:names
endfunction

let s:last_code = 0
for s:lnum in range(1, line('$'))
  let s:text = getline(s:lnum)
  let s:m = matchlist(s:text, '^#\(\s*\)\(\^\+\|<-\)\s\+\(\S\+\)\s*$')
  if empty(s:m) || s:last_code == 0
    let s:last_code = s:lnum
    continue
  endif
  let s:group = s:GroupFor(s:m[3])
  if s:group ==# ''
    continue
  endif
  let s:start = s:m[2] ==# '<-' ? 1 : 2 + len(s:m[1])
  let s:width = s:m[2] ==# '<-' ? 1 : len(s:m[2])
  for s:col in range(s:start, s:start + s:width - 1)
    let s:checks += 1
    let s:names = s:NamesAt(s:last_code, s:col)
    if empty(filter(copy(s:names), {_, n -> stridx(n, s:group) == 0}))
      call add(s:errors, printf('%s:%d:%d: expected %s (for %s), got %s', $ORCH_VIM_SAMPLE, s:last_code, s:col, s:group, s:m[3], string(s:names)))
    endif
  endfor
endfor

if s:checks == 0
  call add(s:errors, 'no assertion lines found in ' . $ORCH_VIM_SAMPLE)
endif
if !empty(s:errors)
  call writefile(s:errors + [printf('%d problems, %d checks', len(s:errors), s:checks)], '/dev/stderr')
  cquit
endif
call writefile([printf('%d syntax checks passed', s:checks)], '/dev/stderr')
qall!
