# `cmake --install` and the Debian package (CPack): a stripped binary, its two links, the man
# pages, the completions, the message catalogues and the documentation.
#
# The git-secrets drop-in is a link named git-secrets. `cmake --install` puts it beside the
# binary (in /usr/local/bin it shadows a git-secrets installed in /usr/bin, as the README says).
# The Debian package must not silently shadow Debian's own git-secrets package: it ships the link
# in /usr/lib/secretscan and offers it as an alternative for /usr/bin/git-secrets
# (packaging/debian/postinst), which update-alternatives never puts over a file another package
# owns. That link is in its own component, left out of the package.
include(GNUInstallDirs)

option(SECRETSCAN_INSTALL_STRIP "Strip the installed binary (cmake --install without --strip)" ON)
if(SECRETSCAN_INSTALL_STRIP)
  # cmake_install.cmake strips when CMAKE_INSTALL_DO_STRIP is set; --strip sets it too.
  install(CODE "set(CMAKE_INSTALL_DO_STRIP 1)" COMPONENT runtime)
endif()
install(TARGETS secretscan RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

# A link relative to the folder it is in, created at install time under DESTDIR.
function(secretscan_install_link dir name target component)
  install(CODE "set(d \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${dir}\")
    file(MAKE_DIRECTORY \"\${d}\")
    execute_process(COMMAND ${CMAKE_COMMAND} -E create_symlink ${target} \"\${d}/${name}\")
    message(STATUS \"Installing: \${d}/${name} -> ${target}\")" COMPONENT ${component})
endfunction()
secretscan_install_link(${CMAKE_INSTALL_BINDIR} git-secretscan secretscan runtime)
secretscan_install_link(lib/secretscan git-secrets ../../${CMAKE_INSTALL_BINDIR}/secretscan runtime)
secretscan_install_link(${CMAKE_INSTALL_BINDIR} git-secrets secretscan git_secrets_link)

install(FILES ${SECRETSCAN_MAN}/man1/secretscan.1 ${SECRETSCAN_MAN}/man1/git-secretscan.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
install(FILES ${SECRETSCAN_MAN}/man5/secretscan-config.5 ${SECRETSCAN_MAN}/man5/secretscan-rules.5
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man5 COMPONENT runtime)
# bash-completion loads a completion by the command's name, on first use.
foreach(command secretscan git-secretscan)
  install(FILES ${SECRETSCAN_COMPLETIONS}/secretscan.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME ${command} COMPONENT runtime)
endforeach()
install(FILES ${SECRETSCAN_COMPLETIONS}/_secretscan DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT runtime)
install(FILES ${SECRETSCAN_COMPLETIONS}/secretscan.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d
        COMPONENT runtime)
foreach(mo ${SECRETSCAN_CATALOGUES})
  get_filename_component(dir ${mo} DIRECTORY)
  get_filename_component(dir ${dir} DIRECTORY)
  get_filename_component(lang ${dir} NAME)
  install(FILES ${mo} DESTINATION ${CMAKE_INSTALL_LOCALEDIR}/${lang}/LC_MESSAGES COMPONENT runtime)
endforeach()
install(FILES README.md docs/config.md docs/hooks.md docs/ci.md docs/rules.md docs/git-secrets-compat.md docs/security.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
# The script that picks the commits a CI run scans, run by action.yml and the GitLab template
# from here (docs/ci.md).
install(PROGRAMS ci/scan-range.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/secretscan COMPONENT runtime)

# ---- Debian package: cpack -G DEB (or `cmake --build build --target package`) -------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME secretscan)
set(CPACK_PACKAGE_VENDOR "secretscan developers")
set(SECRETSCAN_MAINTAINER "secretscan developers <secretscan@localhost>" CACHE STRING "The Debian package's Maintainer field")
set(CPACK_PACKAGE_CONTACT "${SECRETSCAN_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fast secret scanner for git repositories, commits and files")
# The extended description (the summary above is its first line).
set(CPACK_PACKAGE_DESCRIPTION "secretscan stops credentials (cloud keys, tokens, private keys, passwords)
from entering a git repository and finds the ones already in its history:
git hooks, history and range scans for CI (JSON, SARIF, GitLab, JUnit),
audits of folders, and a drop-in for git-secrets.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
if(SECRETSCAN_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${SECRETSCAN_HOMEPAGE}")
endif()
# Depends: read by dpkg-shlibdeps from the shared libraries the binary links (libgit2, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "git")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/debian/postinst ${CMAKE_SOURCE_DIR}/packaging/debian/prerm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# One package holding the listed components: everything but the /usr/bin/git-secrets link.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL runtime)
include(CPack)
