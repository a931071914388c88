# One test module_includes.* (cmake/Modules.cmake): builds TARGET, a translation unit that includes HEADER, in
# BUILD_DIR. EXPECT "compiles": the build must succeed. EXPECT "fails": it must fail because the compiler cannot
# find HEADER on the module's include path (any other failure is a broken test, not a kept boundary).
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(EXPECT STREQUAL "compiles")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${TARGET}: including ${HEADER} should compile, but:\n${output}")
  endif()
  message(STATUS "${TARGET}: ${HEADER} is on the module's include path")
  return()
endif()
if(result EQUAL 0)
  message(FATAL_ERROR "${TARGET}: including ${HEADER} compiled; the module must not reach that header")
endif()
string(FIND "${output}" "${HEADER}: No such file or directory" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${TARGET}: failed, but not for want of ${HEADER}:\n${output}")
endif()
message(STATUS "${TARGET}: ${HEADER} is out of the module's reach")
