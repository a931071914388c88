# The installed package: libdoseflow.a (every module's objects in one archive), the public headers of
# include/doseflow/ (standard library only) and a CMake package, so that another project can
#   find_package(doseflow) and link doseflow::doseflow
# (examples/consumer does, and a test builds it against an installation in the build tree).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
find_package(NLopt REQUIRED)  # found in src/calibrate too, where its target is visible only

set(doseflow_package_modules core world scenario supply uptake epidemic reproduce diplomacy engine output ensemble
    calibrate serve)
set(doseflow_objects $<TARGET_OBJECTS:doseflow_data>)
foreach(module ${doseflow_package_modules})
  list(APPEND doseflow_objects $<TARGET_OBJECTS:doseflow_${module}>)
endforeach()
add_library(doseflow_library STATIC ${doseflow_objects})
set_target_properties(doseflow_library PROPERTIES OUTPUT_NAME doseflow EXPORT_NAME doseflow
                      ARCHIVE_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib)
target_include_directories(doseflow_library INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
# What the modules' objects call into; the consumer's find_package(doseflow) finds the same packages.
target_link_libraries(doseflow_library INTERFACE fmt::fmt tomlplusplus::tomlplusplus SQLiteCpp TBB::tbb
                      NLopt::nlopt PkgConfig::HTTPLIB Threads::Threads)
if(DOSEFLOW_WITH_MPI)
  target_link_libraries(doseflow_library INTERFACE MPI::MPI_CXX)
endif()
if(DOSEFLOW_SANITIZE)  # objects built with the sanitizers need their run-time libraries
  target_link_options(doseflow_library INTERFACE -fsanitize=address,undefined)
endif()

install(TARGETS doseflow_library EXPORT doseflowTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/doseflow DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT library)
set(doseflow_package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/doseflow)
install(EXPORT doseflowTargets NAMESPACE doseflow:: DESTINATION ${doseflow_package_dir} COMPONENT library)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/doseflowConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/doseflowConfig.cmake INSTALL_DESTINATION ${doseflow_package_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/doseflowConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/doseflowConfig.cmake ${PROJECT_BINARY_DIR}/doseflowConfigVersion.cmake
        DESTINATION ${doseflow_package_dir} COMPONENT library)

if(DOSEFLOW_TESTS)
  # Installs into the build tree, then builds and runs examples/consumer against that installation.
  set(prefix ${PROJECT_BINARY_DIR}/package_test/prefix)
  add_test(NAME package.consumer_builds_against_installed_package
           COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DPREFIX=${prefix}
                   -DCONSUMER_SOURCE=${PROJECT_SOURCE_DIR}/examples/consumer
                   -DCONSUMER_BUILD=${PROJECT_BINARY_DIR}/package_test/consumer
                   -DCXX=${CMAKE_CXX_COMPILER} -DGENERATOR=${CMAKE_GENERATOR}
                   -P ${PROJECT_SOURCE_DIR}/cmake/ConsumerTest.cmake)
  # Every installed public header compiles with only the installed include directory on the path, and includes
  # nothing but the standard library and other public headers.
  add_test(NAME package.public_headers_stand_alone
           COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DPREFIX=${PROJECT_BINARY_DIR}/package_test/headers
                   -DCXX=${CMAKE_CXX_COMPILER} -P ${PROJECT_SOURCE_DIR}/cmake/PublicHeadersTest.cmake)
  set_tests_properties(package.consumer_builds_against_installed_package package.public_headers_stand_alone
                       PROPERTIES LABELS package TIMEOUT 600 RESOURCE_LOCK package_install)
endif()
