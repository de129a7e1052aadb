# lupa_link_allocator(target): links the malloc the programs that allocate the most run with.
# The indexer builds and frees millions of small strings and maps from two threads; glibc's malloc
# spends a fifth of its time there (bench/README.md, "Allocator"). LUPA_ALLOCATOR picks one:
# jemalloc (default; Debian's libjemalloc-dev), tcmalloc (tcmalloc_minimal, Debian's
# libgoogle-perftools-dev) or system. Sanitizer builds keep the system malloc: AddressSanitizer
# must own allocation to find what it finds.
set(LUPA_ALLOCATOR "jemalloc" CACHE STRING "malloc for lupa-indexer: jemalloc, tcmalloc or system")
set_property(CACHE LUPA_ALLOCATOR PROPERTY STRINGS jemalloc tcmalloc system)

set(lupa_allocator_library "")
if(LUPA_ASAN OR LUPA_UBSAN)
  message(STATUS "Allocator: system (sanitizer build)")
elseif(LUPA_ALLOCATOR STREQUAL "jemalloc")
  find_library(LUPA_JEMALLOC_LIBRARY NAMES jemalloc)
  if(NOT LUPA_JEMALLOC_LIBRARY)
    message(FATAL_ERROR "LUPA_ALLOCATOR=jemalloc needs libjemalloc-dev (scripts/install-deps.sh), "
                        "or configure with -DLUPA_ALLOCATOR=system")
  endif()
  set(lupa_allocator_library ${LUPA_JEMALLOC_LIBRARY})
elseif(LUPA_ALLOCATOR STREQUAL "tcmalloc")
  find_library(LUPA_TCMALLOC_LIBRARY NAMES tcmalloc_minimal)
  if(NOT LUPA_TCMALLOC_LIBRARY)
    message(FATAL_ERROR "LUPA_ALLOCATOR=tcmalloc needs libgoogle-perftools-dev, "
                        "or configure with -DLUPA_ALLOCATOR=system")
  endif()
  set(lupa_allocator_library ${LUPA_TCMALLOC_LIBRARY})
elseif(NOT LUPA_ALLOCATOR STREQUAL "system")
  message(FATAL_ERROR "LUPA_ALLOCATOR must be jemalloc, tcmalloc or system, not ${LUPA_ALLOCATOR}")
endif()
if(lupa_allocator_library)
  message(STATUS "Allocator: ${LUPA_ALLOCATOR} (${lupa_allocator_library})")
endif()

function(lupa_link_allocator target)
  if(lupa_allocator_library)
    # Nothing calls it by name: kept even where the linker drops libraries it finds unused.
    target_link_libraries(${target} PRIVATE "-Wl,--push-state,--no-as-needed"
                                            ${lupa_allocator_library} "-Wl,--pop-state")
  endif()
endfunction()
