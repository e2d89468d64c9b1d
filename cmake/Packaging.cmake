# Installation of everything that is not a target (model, launcher, icons, AppStream, man pages, docs) and the CPack
# configuration of the Debian package. Included from the top-level CMakeLists.txt after all targets exist.
#
#   cmake --build build && (cd build && cpack -G DEB)   ->   build/emoscope_<version>_<arch>.deb
#
# The package holds whatever `cmake --install` installs: the programs (and any private libraries the CLI installs)
# come from the install(TARGETS ...) rules next to their targets, nothing here lists them.
include(GNUInstallDirs)

set(EMOSCOPE_APP_ID "io.github.emoscope.emoscope" CACHE INTERNAL "AppStream id = desktop file name = icon name")

# ---- The bundled model and its card. Classifier::findDefaultModel looks in <bin>/../share/emoscope/models.
install(FILES ${CMAKE_SOURCE_DIR}/models/emoscope.pt ${CMAKE_SOURCE_DIR}/models/README.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/emoscope/models OPTIONAL)

# ---- Desktop integration (only with the GUI): launcher, AppStream metainfo, icons.
if(EMOSCOPE_BUILD_GUI)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/${EMOSCOPE_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/${EMOSCOPE_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/emoscope.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${EMOSCOPE_APP_ID}.svg)

  # PNG sizes for menus and software centres that do not render SVG, rendered from the one SVG at build time.
  find_program(EMOSCOPE_RSVG_CONVERT rsvg-convert)
  if(EMOSCOPE_RSVG_CONVERT)
    set(icon_pngs)
    foreach(size 16 32 48 64 128 256)
      set(png ${CMAKE_BINARY_DIR}/icons/${size}x${size}/${EMOSCOPE_APP_ID}.png)
      add_custom_command(OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/icons/${size}x${size}
        COMMAND ${EMOSCOPE_RSVG_CONVERT} --width=${size} --height=${size} --format=png
                --output=${png} ${CMAKE_SOURCE_DIR}/resources/emoscope.svg
        DEPENDS ${CMAKE_SOURCE_DIR}/resources/emoscope.svg
        COMMENT "Rendering the ${size}x${size} icon" VERBATIM)
      list(APPEND icon_pngs ${png})
      install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
    add_custom_target(emoscope_icons ALL DEPENDS ${icon_pngs})
  else()
    message(WARNING "rsvg-convert not found (Debian package librsvg2-bin): only the SVG icon is installed")
  endif()
endif()

# ---- Man pages from the programs' own --help and --version (help2man), so they never drift from the code.
find_program(EMOSCOPE_HELP2MAN help2man)
if(EMOSCOPE_HELP2MAN)
  set(man_dir ${CMAKE_BINARY_DIR}/man)
  file(MAKE_DIRECTORY ${man_dir})
  # A program may load private modules at run time (emoscope-cli's model commands), and `COMMAND --help` may need
  # them: the pages are made after every program and library under app/ (whatever its CMakeLists define).
  function(emoscope_collect_targets dir out)
    get_property(found DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    foreach(sub IN LISTS subdirs)
      emoscope_collect_targets(${sub} more)
      list(APPEND found ${more})
    endforeach()
    set(${out} ${found} PARENT_SCOPE)
  endfunction()
  emoscope_collect_targets(${CMAKE_SOURCE_DIR}/app candidates)
  set(EMOSCOPE_APP_BINARIES)
  foreach(t IN LISTS candidates)
    get_target_property(type ${t} TYPE)
    if(type MATCHES "^(EXECUTABLE|MODULE_LIBRARY|SHARED_LIBRARY)$")
      list(APPEND EMOSCOPE_APP_BINARIES ${t})
    endif()
  endforeach()
  # emoscope_man_page(TARGET "one-line description" [SUBCOMMANDS]); "" = the [NAME] of docs/man/TARGET.h2m
  function(emoscope_man_page target name)
    cmake_parse_arguments(arg "SUBCOMMANDS" "" "" ${ARGN})
    set(page ${man_dir}/${target}.1)
    set(include ${CMAKE_SOURCE_DIR}/docs/man/${target}.h2m)
    add_custom_command(OUTPUT ${page} ${page}.gz
      COMMAND ${CMAKE_COMMAND} -DHELP2MAN=${EMOSCOPE_HELP2MAN} -DPROGRAM=$<TARGET_FILE:${target}> "-DNAME=${name}"
              -DOUT=${page} -DINCLUDE=${include} -DSUBCOMMANDS=${arg_SUBCOMMANDS} -DWORK=${man_dir}
              -P ${CMAKE_SOURCE_DIR}/cmake/ManPage.cmake
      DEPENDS ${target} ${EMOSCOPE_APP_BINARIES} ${include} ${CMAKE_SOURCE_DIR}/cmake/ManPage.cmake
      COMMENT "Generating the ${target}(1) man page with help2man" VERBATIM)
    add_custom_target(${target}_man ALL DEPENDS ${page}.gz)
    install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endfunction()
  emoscope_man_page(emoscope-cli "speech emotion recognition from the command line" SUBCOMMANDS)
  if(EMOSCOPE_BUILD_GUI)
    emoscope_man_page(emoscope "") # NAME from docs/man/emoscope.h2m: --version says "Emoscope 0.1.0"
  endif()
else()
  message(WARNING "help2man not found (Debian package help2man): no man pages are generated or installed")
endif()

# ---- Documentation: Debian's copyright file (with the data licences), the changelog (Debian policy: a native
# package's usr/share/doc/<package>/changelog.gz) and the scale-out examples.
set(EMOSCOPE_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/emoscope) # CMAKE_INSTALL_DOCDIR would say doc/Emoscope
install(FILES ${CMAKE_SOURCE_DIR}/packaging/copyright DESTINATION ${EMOSCOPE_DOC_DIR})
set(changelog_gz ${CMAKE_BINARY_DIR}/changelog.gz)
add_custom_command(OUTPUT ${changelog_gz}
  COMMAND gzip -9n -c ${CMAKE_SOURCE_DIR}/packaging/changelog > ${changelog_gz}
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/changelog
  COMMENT "Compressing the Debian changelog")
add_custom_target(emoscope_changelog ALL DEPENDS ${changelog_gz})
install(FILES ${changelog_gz} DESTINATION ${EMOSCOPE_DOC_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/packaging/examples/jsonl-to-csv.awk
              ${CMAKE_SOURCE_DIR}/packaging/examples/slurm-classify.sbatch
        DESTINATION ${EMOSCOPE_DOC_DIR}/examples)

# ---- CPack: one Debian package, emoscope_<version>_<arch>.deb.
set(CPACK_PACKAGE_NAME emoscope)
set(CPACK_PACKAGE_VENDOR "The Emoscope developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "speech emotion recognition (desktop application and command line)")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/emoscope/emoscope")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "The Emoscope developers <emoscope@users.noreply.github.com>")
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Long description; CPack puts the summary first, indents the lines and turns the empty ones into " ." (CMake >= 3.16).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Emoscope recognises emotion in speech: seven labels (angry, disgust, fear,
happy, neutral, pleasant surprise, sad) from a small ResNet over log-mel
spectrograms, with an honest verdict (ok, uncertain or no speech).

The Qt desktop application analyses files, records from the microphone and
fine-tunes the model; emoscope-cli does the same from the command line.

The bundled model was trained on TESS (CC BY-NC-ND 4.0), RAVDESS and nEMO
(CC BY-NC-SA 4.0) and ASED (research, non-commercial use): use it
non-commercially.")
# Shared libraries the binaries link come from dpkg-shlibdeps; what is loaded at run time is listed by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt's SVG plugins draw the window icon; OpenBLAS makes libtorch's convolutions ~10x faster than reference BLAS.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6svg6, libopenblas0-pthread")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "parallel")

include(CPack)
