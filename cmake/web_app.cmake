# hb_embed_web(TARGET): links the built web application (web/dist, made by `npm run build`
# in web/, which `make build` runs before ninja) into TARGET, with a manifest of its files.
#
# CMake configures before npm runs, so the file list cannot be known at configure time:
# a custom target runs cmake/gen_web_assets.cmake on every build. It writes one assembly
# file with an .incbin per file, the file's path, a content hash (the ETag) and its
# precompressed .gz twin, and rewrites it only when something changed, so an unchanged
# web/dist costs no rebuild and a changed one re-assembles one object and relinks.
# Without web/dist (no npm on the machine) the placeholder resources/web/index.html is
# embedded instead and the build says so. C++ reads the manifest through
# src/app/web_assets.h (symbol hb_web_manifest).
function(hb_embed_web target)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/web_assets.S)
  set(dist ${PROJECT_SOURCE_DIR}/web/dist)
  set(placeholder ${PROJECT_SOURCE_DIR}/resources/web/index.html)
  # A first version at configure time, so the source exists before the first build.
  if(NOT EXISTS ${out})
    execute_process(COMMAND ${CMAKE_COMMAND} -DDIST=${dist} -DPLACEHOLDER=${placeholder} -DOUT=${out}
                            -DQUIET=ON -P ${PROJECT_SOURCE_DIR}/cmake/gen_web_assets.cmake)
  endif()
  add_custom_target(hb_web_manifest
    COMMAND ${CMAKE_COMMAND} -DDIST=${dist} -DPLACEHOLDER=${placeholder} -DOUT=${out}
            -P ${PROJECT_SOURCE_DIR}/cmake/gen_web_assets.cmake
    BYPRODUCTS ${out}
    COMMENT "Embedding the web application (web/dist)"
    VERBATIM)
  set_source_files_properties(${out} PROPERTIES GENERATED TRUE LANGUAGE ASM)
  target_sources(${target} PRIVATE ${out})
  add_dependencies(${target} hb_web_manifest)
endfunction()
