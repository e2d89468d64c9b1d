# Checks the include rules between the layers that include paths alone cannot enforce (run by CTest as
# `layering`): core includes no Qt, engine and gui; the engine includes no gui header; the CLI includes
# nothing from app/engine or app/gui. Usage: cmake -DSOURCE_DIR=<repo> -P CheckLayers.cmake
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<repo>")
endif()

set(violations "")
function(check_folder folder regex what)
  file(GLOB_RECURSE files ${SOURCE_DIR}/${folder}/*.h ${SOURCE_DIR}/${folder}/*.cpp)
  foreach(f ${files})
    file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](${regex})")
    foreach(line ${lines})
      file(RELATIVE_PATH rel ${SOURCE_DIR} ${f})
      list(APPEND violations "${rel}: ${what}: ${line}")
    endforeach()
  endforeach()
  set(violations "${violations}" PARENT_SCOPE)
endfunction()

check_folder(core "Q|qt|engine/|gui/" "core must not include Qt or app code")
check_folder(app/engine "gui/|QtWidgets|QWidget|QApplication" "the engine must not include widgets or gui headers")
check_folder(app/cli "Q|engine/|gui/" "the CLI is over core only")

if(violations)
  list(JOIN violations "\n" text)
  message(FATAL_ERROR "layering violations:\n${text}")
endif()
message(STATUS "layering: core, engine and CLI includes follow the layer rules")
