# Helpers shared by every module's CMakeLists.txt.

# hb_module(NAME SOURCES... DEPS ...): one static library per src/ folder, linked
# only to the modules it may use, so that a forbidden include fails the build.
function(hb_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PUBLIC_LIBS" ${ARGN})
  add_library(hb_${name} STATIC ${M_SOURCES})
  target_include_directories(hb_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/src)
  foreach(dep ${M_DEPS})
    target_link_libraries(hb_${name} PUBLIC hb_${dep})
  endforeach()
  target_link_libraries(hb_${name} PUBLIC ${M_PUBLIC_LIBS})
endfunction()

# hb_test(NAME SOURCES... DEPS ...): a GoogleTest binary registered with CTest.
function(hb_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  foreach(dep ${T_DEPS})
    target_link_libraries(${name} PRIVATE hb_${dep})
  endforeach()
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
endfunction()

# hb_embed(TARGET SYMBOL FILE): links FILE's bytes into TARGET, readable through
# hb::common::Embedded(SYMBOL) style accessors declared by the caller as
#   extern "C" const char SYMBOL[]; extern "C" const char SYMBOL##_end[];
# The bytes are followed by one NUL so they can be used as a C string too.
# ASM is enabled here, at the including (top-level) scope: enable_language() inside the
# function would leave CMAKE_ASM_COMPILE_OBJECT unset for the generator.
enable_language(ASM)
function(hb_embed target symbol file)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embed_${symbol}.S)
  file(WRITE ${out}.in
"    .section .rodata
    .global ${symbol}
    .global ${symbol}_end
    .balign 16
${symbol}:
    .incbin \"${file}\"
${symbol}_end:
    .byte 0
    .section .note.GNU-stack,\"\",@progbits
")
  configure_file(${out}.in ${out} COPYONLY)
  set_source_files_properties(${out} PROPERTIES OBJECT_DEPENDS ${file} LANGUAGE ASM)
  target_sources(${target} PRIVATE ${out})
endfunction()

include(GoogleTest)
