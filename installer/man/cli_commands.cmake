# Writes a help2man include with every neurite-cli command's own --help, so the man page lists
# each command's options and never drifts from the program.
#   cmake -DCLI=path/to/neurite-cli -DOUTPUT=file.h2m -P cli_commands.cmake
set(commands train export import predict compress bench data devices layers runs experiment selftest version)
set(text "[commands in detail]\nEach command's own \\fB\\-\\-help\\fR:\n")
foreach(cmd ${commands})
  execute_process(COMMAND ${CLI} ${cmd} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR help STREQUAL "")
    message(FATAL_ERROR "neurite-cli ${cmd} --help failed (${rc})")
  endif()
  # roff: a backslash is \e, a hyphen \-, and a line must not start with . or '
  string(REPLACE "\\" "\\e" help "${help}")
  string(REPLACE "-" "\\-" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND text ".SS ${cmd}\n.nf\n${help}.fi\n")
endforeach()
file(WRITE ${OUTPUT} "${text}")
