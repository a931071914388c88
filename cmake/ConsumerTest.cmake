# The test package.consumer_builds_against_installed_package (cmake/Package.cmake): installs the build in BUILD_DIR
# into PREFIX, configures and builds examples/consumer (CONSUMER_SOURCE) in CONSUMER_BUILD with only PREFIX to
# find doseflow by, and runs it.
cmake_minimum_required(VERSION 3.25)
function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result}):\n${output}")
  endif()
  set(step_output "${output}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${PREFIX} ${CONSUMER_BUILD})
run_step("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} --component library)
run_step("configuring the consumer" ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${CONSUMER_BUILD} -G ${GENERATOR}
         -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_BUILD_TYPE=Release)
run_step("building the consumer" ${CMAKE_COMMAND} --build ${CONSUMER_BUILD})
run_step("running the consumer" ${CONSUMER_BUILD}/doseflow_consumer)
message(STATUS "doseflow_consumer: ${step_output}")
if(NOT step_output MATCHES "first 30 days: [0-9]+ first doses administered, [0-9]+ deaths in [0-9]+ countries")
  message(FATAL_ERROR "unexpected output of doseflow_consumer: ${step_output}")
endif()
