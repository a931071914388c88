# doseflow_module(NAME DEPS ... [TEST_DEPS ...] [HEADERS ...]): a library from the folder's *.cpp (minus
# *_test.cpp), and, when the folder has *_test.cpp files, a test binary doseflow_NAME_tests registered with ctest
# test by test.
#
# Module boundaries (README.md, Layout): HEADERS are the module's interface, the only headers other modules may
# include; DEPS are the modules (and libraries) it builds on, TEST_DEPS what its tests add. The test
# module_boundaries checks every include against these declarations.
function(doseflow_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;TEST_DEPS;HEADERS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(tests)
    list(REMOVE_ITEM sources ${tests})
  endif()
  foreach(header ${ARG_HEADERS})
    if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${header})
      message(FATAL_ERROR "doseflow_module(${name}): HEADERS names ${header}, which src/${name} does not hold")
    endif()
  endforeach()
  if(sources)
    add_library(doseflow_${name} STATIC ${sources})
    target_link_libraries(doseflow_${name} PUBLIC doseflow_options ${ARG_DEPS})
    if(DOSEFLOW_PYTHON)  # linked into the Python package's shared module
      set_target_properties(doseflow_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    endif()
  else()
    add_library(doseflow_${name} INTERFACE)
    target_link_libraries(doseflow_${name} INTERFACE doseflow_options ${ARG_DEPS})
  endif()
  # What the boundary check reads (doseflow_module_boundaries_test).
  set(manifest "set(module_headers_${name} ${ARG_HEADERS})\n")
  foreach(kind DEPS TEST_DEPS)
    set(modules "")
    foreach(dependency ${ARG_${kind}})
      if(dependency MATCHES "^doseflow_(.+)$")
        list(APPEND modules ${CMAKE_MATCH_1})
      endif()
    endforeach()
    string(TOLOWER ${kind} variable)
    string(APPEND manifest "set(module_${variable}_${name} ${modules})\n")
  endforeach()
  set_property(GLOBAL APPEND PROPERTY DOSEFLOW_MODULES ${name})
  set_property(GLOBAL APPEND_STRING PROPERTY DOSEFLOW_MODULE_MANIFEST "${manifest}")
  if(DOSEFLOW_TESTS AND tests)
    add_executable(doseflow_${name}_tests ${tests})
    target_link_libraries(doseflow_${name}_tests PRIVATE doseflow_${name} ${ARG_TEST_DEPS} GTest::gtest_main GTest::gmock)
    if(TARGET rapidcheck)
      target_link_libraries(doseflow_${name}_tests PRIVATE rapidcheck)
    endif()
    target_compile_definitions(doseflow_${name}_tests PRIVATE
      DOSEFLOW_SOURCE_DIR="${PROJECT_SOURCE_DIR}" DOSEFLOW_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data")
    gtest_discover_tests(doseflow_${name}_tests DISCOVERY_TIMEOUT 120 PROPERTIES LABELS ${name})
  endif()
endfunction()

# The test module_boundaries: every include of src/ and apps/ keeps to the modules' declared boundaries
# (cmake/CheckModuleBoundaries.cmake). Call after the last doseflow_module.
function(doseflow_module_boundaries_test)
  get_property(modules GLOBAL PROPERTY DOSEFLOW_MODULES)
  get_property(manifest GLOBAL PROPERTY DOSEFLOW_MODULE_MANIFEST)
  set(file ${PROJECT_BINARY_DIR}/module_boundaries.cmake)
  file(WRITE ${file} "set(modules ${modules})\n${manifest}")
  add_test(NAME module_boundaries
           COMMAND ${CMAKE_COMMAND} -DMANIFEST=${file} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                   -P ${PROJECT_SOURCE_DIR}/cmake/CheckModuleBoundaries.cmake)
  set_tests_properties(module_boundaries PROPERTIES LABELS boundaries)
endfunction()
