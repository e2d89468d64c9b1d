# Generates one man page with help2man from a built program's real --help and --version, so the page cannot drift
# from the program. Run in script mode (cmake -P) by the man-page rules of cmake/Packaging.cmake:
#   -DHELP2MAN=path -DPROGRAM=built-binary -DOUT=page.1 [-DNAME="one-line description"]
#   [-DINCLUDE=static.h2m] [-DSUBCOMMANDS=ON] [-DWORK=folder for the generated include]
# SUBCOMMANDS=ON: every command listed under "Commands:" in `PROGRAM --help` gets its own `PROGRAM COMMAND --help`
# text in a COMMANDS section, so the page shows each command's options.
# Writes OUT and OUT.gz (gzip -9n, as Debian installs man pages).
cmake_minimum_required(VERSION 3.25)
foreach(var HELP2MAN PROGRAM OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "ManPage.cmake: ${var} is not set")
  endif()
endforeach()

# The GUI parses --help/--version only after QApplication exists: give it a display that needs none. OMP_WAIT_POLICY
# set means the GUI does not re-exec itself to set it (app/main.cpp).
set(ENV{QT_QPA_PLATFORM} offscreen)
set(ENV{OMP_WAIT_POLICY} PASSIVE)
# help2man dates the page from SOURCE_DATE_EPOCH when the environment sets it (reproducible builds), else today.

# roff-escapes plain text for a no-fill block.
function(roff_escape in outvar)
  string(REPLACE "\\" "\\e" t "${in}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" t "${t}")
  string(REPLACE "-" "\\-" t "${t}")
  set(${outvar} "${t}" PARENT_SCOPE)
endfunction()

set(includes)
# Without NAME, the include file's [NAME] section names the page (help2man would otherwise take the program name
# from the first word of --version, "Emoscope" for the GUI).
if(DEFINED NAME AND NOT NAME STREQUAL "")
  list(APPEND includes "--name=${NAME}")
endif()
if(DEFINED INCLUDE AND NOT INCLUDE STREQUAL "")
  list(APPEND includes "--include=${INCLUDE}")
endif()

if(SUBCOMMANDS)
  execute_process(COMMAND "${PROGRAM}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ManPage.cmake: ${PROGRAM} --help failed (${rc})")
  endif()
  string(REGEX MATCH "\nCommands:\n(  [^\n]+\n)+" block "${help}")
  string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" names "${block}")
  if(names STREQUAL "")
    message(FATAL_ERROR "ManPage.cmake: no commands found in `${PROGRAM} --help`")
  endif()
  get_filename_component(prog_name "${PROGRAM}" NAME)
  set(section "[COMMANDS]\nEach command prints this text with \\fB${prog_name} COMMAND \\-\\-help\\fR.\n")
  foreach(name IN LISTS names)
    string(STRIP "${name}" name)
    execute_process(COMMAND "${PROGRAM}" ${name} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "ManPage.cmake: ${PROGRAM} ${name} --help failed (${rc})")
    endif()
    roff_escape("${text}" text)
    string(APPEND section ".SS ${name}\n.nf\n${text}.fi\n")
  endforeach()
  if(NOT DEFINED WORK)
    get_filename_component(WORK "${OUT}" DIRECTORY)
  endif()
  get_filename_component(base "${OUT}" NAME)
  set(generated "${WORK}/${base}.commands.h2m")
  file(WRITE "${generated}" "${section}")
  list(APPEND includes "--include=${generated}")
endif()

execute_process(
  COMMAND "${HELP2MAN}" --no-info --section=1 ${includes} "--output=${OUT}" "${PROGRAM}"
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ManPage.cmake: help2man failed for ${PROGRAM} (${rc}): ${err}")
endif()
execute_process(COMMAND gzip -9nf -k "${OUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ManPage.cmake: gzip ${OUT} failed (${rc})")
endif()
