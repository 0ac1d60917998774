# Fetches the npm package hl7.fhir.r4.examples@4.0.1 once into the build tree.
# It carries the full R4 core definitions (StructureDefinitions, SearchParameters,
# CompartmentDefinitions, ValueSets) and the ~720 official example instances.
set(HB_FHIR_PACKAGE_VERSION 4.0.1)
# Point HB_FHIR_PACKAGE_DIR at an unpacked copy to reuse it (the fuzz build reuses the main one).
set(HB_FHIR_PACKAGE_DIR ${PROJECT_BINARY_DIR}/fhir-package/package CACHE PATH
    "The unpacked hl7.fhir.r4.examples package; fetched with npm when missing")
set(HB_FHIR_PACKAGE_SHA1 537ea7db3f3c7b3575fe2eaa7808bad21261cca3)

if(NOT EXISTS ${HB_FHIR_PACKAGE_DIR}/package.json)
  find_program(NPM_PROGRAM npm REQUIRED)
  get_filename_component(dl ${HB_FHIR_PACKAGE_DIR} DIRECTORY)
  file(MAKE_DIRECTORY ${dl})
  message(STATUS "Fetching hl7.fhir.r4.examples@${HB_FHIR_PACKAGE_VERSION} with npm pack")
  execute_process(
    COMMAND ${NPM_PROGRAM} pack --silent hl7.fhir.r4.examples@${HB_FHIR_PACKAGE_VERSION}
    WORKING_DIRECTORY ${dl} RESULT_VARIABLE rc OUTPUT_VARIABLE tgz OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm pack hl7.fhir.r4.examples failed (${rc})")
  endif()
  file(SHA1 ${dl}/${tgz} got)
  if(NOT got STREQUAL HB_FHIR_PACKAGE_SHA1)
    message(FATAL_ERROR "hl7.fhir.r4.examples tarball has SHA-1 ${got}, expected ${HB_FHIR_PACKAGE_SHA1}")
  endif()
  file(ARCHIVE_EXTRACT INPUT ${dl}/${tgz} DESTINATION ${dl})
  file(REMOVE ${dl}/${tgz})
endif()
