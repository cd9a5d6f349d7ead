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
