# Embeds a text file in C++ as `inline constexpr std::string_view NAME` (a raw string
# literal), so a binary can read its own sources, e.g. the EBNF comments of
# grammar/grammar.hpp for `orchestrator grammar --format ebnf`. A missing input embeds
# an empty string. Only touches OUT when its content changes.
# Usage: cmake -DIN=file -DOUT=file.inc -DNAME=kIdentifier -P embed_text.cmake
set(text "")
if(EXISTS ${IN})
  file(READ ${IN} text)
endif()
string(FIND "${text}" ")orch_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter `)orch_embed\"`")
endif()
set(content "// Generated from ${IN} by cmake/embed_text.cmake; do not edit.\n#pragma once\n#include <string_view>\ninline constexpr std::string_view ${NAME} = R\"orch_embed(${text})orch_embed\";\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE ${OUT} "${content}")
endif()
