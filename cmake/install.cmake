# Install rules: headers (C++ under include/joinup/, C as include/joinup.h), the static and shared
# libraries, the rule pack, a CMake package (find_package(joinup): joinup::joinup for C++,
# joinup::c for C) and a pkg-config file (joinup.pc). Both are relocatable: they find the
# prefix from where they are installed.
include(CMakePackageConfigHelpers)

set(JOINUP_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/joinup)

install(TARGETS joinup joinup_c EXPORT joinupTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/joinup DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/bindings/c/joinup.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/joinup/rules)
# The schema the pack declares (`schema "../../schemas/partnership.schema.json"` in each file):
# beside the rules as in the source tree, so the relative path holds in the installed layout.
install(FILES ${PROJECT_SOURCE_DIR}/schemas/partnership.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/joinup/schemas)

install(EXPORT joinupTargets NAMESPACE joinup:: DESTINATION ${JOINUP_CMAKE_INSTALL_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/joinupConfig.cmake.in ${PROJECT_BINARY_DIR}/joinupConfig.cmake
  INSTALL_DESTINATION ${JOINUP_CMAKE_INSTALL_DIR})
# Before 1.0 a minor version may change the API: only the same MAJOR.MINOR is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/joinupConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/joinupConfig.cmake ${PROJECT_BINARY_DIR}/joinupConfigVersion.cmake
  DESTINATION ${JOINUP_CMAKE_INSTALL_DIR})

# pkg-config: the prefix relative to the .pc file, so that `cmake --install --prefix` anywhere works.
file(RELATIVE_PATH JOINUP_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" JOINUP_PC_TO_PREFIX "${JOINUP_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/joinup.pc.in ${PROJECT_BINARY_DIR}/joinup.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/joinup.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Relocatable rpaths: the command and the library look for libraries beside themselves first, so
# an installed prefix works wherever it is, with no LD_LIBRARY_PATH.
file(RELATIVE_PATH JOINUP_BIN_TO_LIB /prefix/${CMAKE_INSTALL_BINDIR} /prefix/${CMAKE_INSTALL_LIBDIR})
set_target_properties(joinup_c PROPERTIES INSTALL_RPATH "$ORIGIN")
if(TARGET joinup_cli)
  set_target_properties(joinup_cli PROPERTIES INSTALL_RPATH "$ORIGIN/${JOINUP_BIN_TO_LIB}")
endif()

# The Python package, twice: importable from <prefix>/lib/python3/dist-packages (on Debian's
# python3 path when the prefix is /usr; PYTHONPATH otherwise), and as a project that pip installs
# into a virtual environment from <prefix>/share/joinup/python. Each copy gets a _location.py,
# written at install time, that says where the library is: relative to the package (so the prefix
# may move) and as the absolute path it was installed to (for the copy pip makes elsewhere).
set(JOINUP_PYTHON_DIR ${CMAKE_INSTALL_LIBDIR}/python3/dist-packages)
set(JOINUP_PYTHON_PROJECT_DIR ${CMAKE_INSTALL_DATADIR}/joinup/python)
set(JOINUP_PYTHON_SOURCES ${PROJECT_SOURCE_DIR}/bindings/python/joinup)
install(DIRECTORY ${JOINUP_PYTHON_SOURCES} DESTINATION ${JOINUP_PYTHON_DIR} PATTERN __pycache__ EXCLUDE)
install(DIRECTORY ${JOINUP_PYTHON_SOURCES} DESTINATION ${JOINUP_PYTHON_PROJECT_DIR} PATTERN __pycache__ EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/bindings/python/pyproject.toml ${PROJECT_SOURCE_DIR}/bindings/python/README.md
        DESTINATION ${JOINUP_PYTHON_PROJECT_DIR})
set(JOINUP_LIBRARY_NAME libjoinup.so.${JOINUP_ABI_VERSION})
file(RELATIVE_PATH JOINUP_PYTHON_TO_LIB /prefix/${JOINUP_PYTHON_DIR}/joinup /prefix/${CMAKE_INSTALL_LIBDIR})
file(RELATIVE_PATH JOINUP_PROJECT_TO_LIB /prefix/${JOINUP_PYTHON_PROJECT_DIR}/joinup /prefix/${CMAKE_INSTALL_LIBDIR})
foreach(copy IN ITEMS "${JOINUP_PYTHON_DIR}|${JOINUP_PYTHON_TO_LIB}" "${JOINUP_PYTHON_PROJECT_DIR}|${JOINUP_PROJECT_TO_LIB}")
  string(REPLACE "|" ";" copy "${copy}")
  list(GET copy 0 dir)
  list(GET copy 1 relative)
  install(CODE "
    set(prefix \"\${CMAKE_INSTALL_PREFIX}\")
    if(NOT IS_ABSOLUTE \"\${prefix}\")
      get_filename_component(prefix \"\${prefix}\" ABSOLUTE)
    endif()
    file(WRITE \"\$ENV{DESTDIR}\${prefix}/${dir}/joinup/_location.py\"
\"# Where cmake --install put the library this package uses (written at install time).
RELATIVE = '${relative}/${JOINUP_LIBRARY_NAME}'  # to this package's directory
ABSOLUTE = '\${prefix}/${CMAKE_INSTALL_LIBDIR}/${JOINUP_LIBRARY_NAME}'
\")
    message(STATUS \"Installing: \$ENV{DESTDIR}\${prefix}/${dir}/joinup/_location.py\")")
endforeach()
