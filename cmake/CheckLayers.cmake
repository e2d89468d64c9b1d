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

# The CLI executable (app/cli/*.cpp, not infer/ or model/) links no libtorch, so info, spectrogram, --help and --version start
# in milliseconds: it may use the torch-free layers only. The model commands live in app/cli/model/.
file(GLOB cli_exe_files ${SOURCE_DIR}/app/cli/*.h ${SOURCE_DIR}/app/cli/*.cpp)
foreach(f ${cli_exe_files})
  file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](model/|infer/|train/|torch|ATen|c10)")
  foreach(line ${lines})
    file(RELATIVE_PATH rel ${SOURCE_DIR} ${f})
    list(APPEND violations "${rel}: the CLI executable must not reach libtorch (put model commands in app/cli/model/): ${line}")
  endforeach()
endforeach()

# The inference path is torch-free, so classify, timeline and the GUI's analysis never need libtorch: core's model and
# infer layers and the CLI's inference module include nothing of net/, train/ or torch (the linker would only catch
# it if a symbol were used).
check_folder(core/model "net/|train/|torch|ATen|c10" "the model layer is torch-free")
check_folder(core/infer "net/|train/|torch|ATen|c10" "the infer layer is torch-free")
check_folder(app/cli/infer "net/|train/|torch|ATen|c10|ModelCliSupport|ModelCommands" "the inference module is torch-free")

if(violations)
  list(JOIN violations "\n" text)
  message(FATAL_ERROR "layering violations:\n${text}")
endif()
message(STATUS "layering: core, engine and CLI includes follow the layer rules; the CLI executable and the inference path are torch-free")
