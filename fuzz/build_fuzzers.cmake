# Configures and builds the fuzzers in their own clang configuration (HB_FUZZ=ON), as the
# fuzz.build CTest test of the main build does. Only the `fuzzers` target is built, so only the
# libraries the fuzzers link (common, fhir, fhirpath, search, auth, three http files) are
# compiled with the sanitizers.
# cmake -DSOURCE_DIR=... -DBUILD_DIR=... -DCLANG=... -DCLANGXX=... [-DFHIR_PACKAGE_DIR=...]
#       [-DJOBS=2] -P build_fuzzers.cmake
if(NOT JOBS)
  set(JOBS 2)
endif()
set(args -S ${SOURCE_DIR} -B ${BUILD_DIR} -G Ninja -DHB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DCMAKE_C_COMPILER=${CLANG} -DCMAKE_CXX_COMPILER=${CLANGXX})
if(FHIR_PACKAGE_DIR AND EXISTS ${FHIR_PACKAGE_DIR}/package.json)
  list(APPEND args -DHB_FHIR_PACKAGE_DIR=${FHIR_PACKAGE_DIR})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} ${args} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the fuzz build in ${BUILD_DIR} failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target fuzzers -j ${JOBS} -- -k 0
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the fuzzers in ${BUILD_DIR} failed")
endif()
