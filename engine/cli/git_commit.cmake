# Writes the commit the binary is built from into a one-line C++ file, at
# every build (not only at configure time), and only when it changed, so an
# unchanged commit rebuilds nothing. Run by the flopcast_git_commit target:
#   cmake -DSOURCE_DIR=<tree> -DOUTPUT=<file.cpp> -P git_commit.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE commit
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit)
  set(commit "unknown")
endif()
set(text "// Generated at build time by engine/cli/git_commit.cmake; do not edit.
#include \"engine/cli/version.hpp\"
namespace flopcast::cli {
const char* const kGitCommit = \"${commit}\";
}  // namespace flopcast::cli
")
set(old "")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
