# lupa_target_defaults(target): the warnings and sanitizers every Lupa target is built with.
# Warnings apply to our own code only; third-party headers come in as system includes.
# LUPA_WARNINGS_AS_ERRORS makes them errors (CI's builds).
function(lupa_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wnull-dereference)
  if(LUPA_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  set(sanitizers "")
  if(LUPA_ASAN)
    list(APPEND sanitizers address)
  endif()
  if(LUPA_UBSAN)
    list(APPEND sanitizers undefined)
  endif()
  if(sanitizers)
    list(JOIN sanitizers "," joined)
    target_compile_options(${target} PRIVATE -fsanitize=${joined} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=${joined})
  endif()
endfunction()
