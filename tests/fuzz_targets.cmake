# How the libFuzzer targets are built and run (tests/filetype/fuzz,
# tests/slack_fuzz, tests/validators_fuzz): each folder's project/ is a CMake
# project of its own, built with clang (libFuzzer, ASan and UBSan) as an
# ExternalProject; CTest runs each target with run_fuzz.sh, which replays every
# input kept in the target's regressions folder and then fuzzes for
# DLPD_FUZZ_SECONDS from its seeds. The sanitizer build leaves them out: they
# carry ASan and UBSan already and run in the default build.
set(DLPD_FUZZ_SECONDS 10 CACHE STRING "Seconds each fuzz target runs under CTest")
find_program(DLPD_FUZZ_CLANGXX NAMES clang++-14 clang++)
find_program(DLPD_FUZZ_CLANG NAMES clang-14 clang)

# Builds CMAKE_CURRENT_SOURCE_DIR/project as the ExternalProject NAME and sets
# OUT_BUILD_DIR to its build folder; without clang, adds the skipped test
# PREFIX.needs_clang instead and sets OUT_BUILD_DIR to "".
function(dlpd_add_fuzz_project name prefix out_build_dir)
  if(NOT DLPD_FUZZ_CLANGXX OR NOT DLPD_FUZZ_CLANG)
    message(STATUS "${prefix} fuzz targets: clang not found; their tests will be skipped")
    add_test(NAME ${prefix}.needs_clang COMMAND sh -c "echo 'clang++ not found: fuzz targets not built'; exit 77")
    set_tests_properties(${prefix}.needs_clang PROPERTIES SKIP_RETURN_CODE 77)
    set(${out_build_dir} "" PARENT_SCOPE)
    return()
  endif()
  include(ExternalProject)
  set(build ${PROJECT_BINARY_DIR}/${name})
  ExternalProject_Add(${name}
    SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/project
    BINARY_DIR ${build}
    CMAKE_GENERATOR ${CMAKE_GENERATOR}
    CMAKE_ARGS
      -DCMAKE_CXX_COMPILER=${DLPD_FUZZ_CLANGXX}
      -DCMAKE_C_COMPILER=${DLPD_FUZZ_CLANG}
      -DCMAKE_BUILD_TYPE=RelWithDebInfo
      -DDLPD_SOURCE_DIR=${PROJECT_SOURCE_DIR}
    INSTALL_COMMAND ""
    # Always ask the inner build: it knows when the sources it fuzzes changed.
    BUILD_ALWAYS ON)
  set(${out_build_dir} ${build} PARENT_SCOPE)
endfunction()

# A CTest test TEST that runs BUILD_DIR/BINARY: SEEDER writes the seeds of
# CORPUS (a program or script taking the corpus name and a folder), and
# REGRESSIONS holds the inputs to replay first.
function(dlpd_add_fuzz_test test build_dir binary seeder corpus regressions)
  add_test(NAME ${test}
    COMMAND bash ${PROJECT_SOURCE_DIR}/tests/filetype/fuzz/run_fuzz.sh
            ${build_dir}/${binary} ${seeder} ${corpus} ${regressions} ${DLPD_FUZZ_SECONDS} ${build_dir}/runs/${corpus})
  set_tests_properties(${test} PROPERTIES TIMEOUT 600 LABELS fuzz)
endfunction()
