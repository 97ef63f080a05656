# Installs the map's npm packages when package-lock.json changed since the
# last install, then runs `npm run build`. Run with cmake -P.

set(stamp ${WEB_DIR}/node_modules/.package-lock.json)
if(NOT EXISTS ${stamp} OR ${WEB_DIR}/package-lock.json IS_NEWER_THAN ${stamp})
  execute_process(COMMAND ${NPM} ci --no-audit --no-fund
                  WORKING_DIRECTORY ${WEB_DIR} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "npm ci failed in ${WEB_DIR} (exit ${result}); check that the npm registry is reachable, "
                        "or configure with -DRADSTREAM_BUILD_WEB=OFF to build without the map")
  endif()
endif()
execute_process(COMMAND ${NPM} run build WORKING_DIRECTORY ${WEB_DIR} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "npm run build failed in ${WEB_DIR} (exit ${result}); see the TypeScript or Vite errors above")
endif()
