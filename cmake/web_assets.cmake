# Builds the web map with npm and compiles every file of web/dist into the
# binary, so build/radstream serves the map with no file beside it.
#
# Output: RADSTREAM_WEB_ASSETS_SOURCES, the generated source to compile into
# the binary.

set(RADSTREAM_WEB_DIR ${CMAKE_CURRENT_SOURCE_DIR}/web)
set(RADSTREAM_WEB_ASSETS_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/web_assets.cpp)

if(RADSTREAM_BUILD_WEB)
  find_program(RADSTREAM_NPM npm REQUIRED)
  file(GLOB_RECURSE RADSTREAM_WEB_INPUTS CONFIGURE_DEPENDS
    ${RADSTREAM_WEB_DIR}/src/*
    ${RADSTREAM_WEB_DIR}/public/*)
  list(APPEND RADSTREAM_WEB_INPUTS
    ${RADSTREAM_WEB_DIR}/index.html
    ${RADSTREAM_WEB_DIR}/package.json
    ${RADSTREAM_WEB_DIR}/package-lock.json
    ${RADSTREAM_WEB_DIR}/vite.config.ts
    ${RADSTREAM_WEB_DIR}/tsconfig.json)
  add_custom_command(
    OUTPUT ${RADSTREAM_WEB_ASSETS_CPP}
    COMMAND ${CMAKE_COMMAND} -DWEB_DIR=${RADSTREAM_WEB_DIR} -DNPM=${RADSTREAM_NPM}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/npm_build.cmake
    COMMAND ${CMAKE_COMMAND} -DDIST_DIR=${RADSTREAM_WEB_DIR}/dist -DOUTPUT=${RADSTREAM_WEB_ASSETS_CPP}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_assets.cmake
    DEPENDS ${RADSTREAM_WEB_INPUTS}
            ${CMAKE_CURRENT_SOURCE_DIR}/cmake/npm_build.cmake
            ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_assets.cmake
    COMMENT "Building the web map with npm and embedding web/dist"
    VERBATIM)
else()
  execute_process(COMMAND ${CMAKE_COMMAND} -DDIST_DIR= -DOUTPUT=${RADSTREAM_WEB_ASSETS_CPP}
                  -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_assets.cmake)
endif()

set(RADSTREAM_WEB_ASSETS_SOURCES ${RADSTREAM_WEB_ASSETS_CPP})
