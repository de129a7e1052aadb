# lupa_embed_files(target NAMESPACE ns FILES f1 f2 ...)
# Compiles data files into the target so the programs find them without an install step.
# Generates `std::string_view ns::embedded_file(std::string_view file_name)`; the data file
# stays the one place to edit, and a rebuild picks up the change.
set(LUPA_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake)
function(lupa_embed_files target)
  cmake_parse_arguments(ARG "" "NAMESPACE" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded_files.cpp)
  string(REPLACE ";" "|" files "${ARG_FILES}")  # a list would be split into several arguments
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} "-DFILES=${files}" -DOUT=${out} -DNAMESPACE=${ARG_NAMESPACE}
            -P ${LUPA_EMBED_SCRIPT}
    DEPENDS ${ARG_FILES} ${LUPA_EMBED_SCRIPT}
    COMMENT "Embedding data files into ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
