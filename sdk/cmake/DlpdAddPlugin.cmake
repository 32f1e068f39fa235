# dlpd_add_plugin(NAME SOURCES...)
#
# Builds a dlpd plugin: a MODULE library named dlpd-NAME.so, linked against
# the SDK, compiled with hidden visibility and linked with a version script,
# so the only dynamic symbol it exports is dlpd_plugin_entry. -z defs makes a
# missing symbol a link error instead of a load-time surprise.
#
# Needs the target dlpd::sdk and the variable DLPD_SDK_VERSION_SCRIPT, which
# find_package(dlpd-sdk) (or the dlpd source tree) provides. When
# DLPD_PLUGIN_OUTPUT_DIR / DLPD_INSTALL_PLUGIN_DIR are set, the plugin is
# written / installed there.
function(dlpd_add_plugin NAME)
  if(NOT ARGN)
    message(FATAL_ERROR "dlpd_add_plugin(${NAME}) needs at least one source file")
  endif()
  set(target dlpd-${NAME})
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE dlpd::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME dlpd-${NAME}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${DLPD_SDK_VERSION_SCRIPT})
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${DLPD_SDK_VERSION_SCRIPT}"
    "LINKER:-z,defs")
  if(DLPD_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${DLPD_PLUGIN_OUTPUT_DIR})
  endif()
  if(DLPD_INSTALL_PLUGIN_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${DLPD_INSTALL_PLUGIN_DIR} COMPONENT plugins)
  endif()
endfunction()
