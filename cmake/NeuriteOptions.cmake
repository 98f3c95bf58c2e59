# Warnings shared by every Neurite target: neurite_warnings(target).
function(neurite_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic>
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<BOOL:${NEURITE_WERROR}>>:-Werror>)
endfunction()
