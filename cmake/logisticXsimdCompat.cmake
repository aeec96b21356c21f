# Repairs for xsimd's exported CMake target, shared by our own build and by the installed
# logisticConfig.cmake (this file is installed beside it).
#
# Debian 12's libxsimd-dev (xsimd 8.1) exports the target `xsimd` with
# INTERFACE_LINK_LIBRARIES "xtl", yet its package config never looks for xtl. Unless a target
# named `xtl` exists, every program that links xsimd gets `-lxtl` on its link line and fails
# with "cannot find -lxtl" (xtl is header-only: there is no such library). xsimd needs xtl
# only with XSIMD_ENABLE_XTL_COMPLEX, which logistic never uses, so a dangling `xtl` is
# dropped. An imported `xsimd` that does not mention xtl, or a real `xtl` target, is left as
# it is; so is an `xsimd` target built from source by a parent project.

function(logistic_repair_xsimd_target)
  if(NOT TARGET xsimd)
    return()
  endif()
  get_target_property(_logistic_xsimd_imported xsimd IMPORTED)
  if(NOT _logistic_xsimd_imported)
    return()
  endif()
  get_target_property(_logistic_xsimd_libs xsimd INTERFACE_LINK_LIBRARIES)
  if(NOT _logistic_xsimd_libs OR NOT "xtl" IN_LIST _logistic_xsimd_libs OR TARGET xtl)
    return()
  endif()
  list(REMOVE_ITEM _logistic_xsimd_libs xtl)
  set_property(TARGET xsimd PROPERTY INTERFACE_LINK_LIBRARIES "${_logistic_xsimd_libs}")
endfunction()
