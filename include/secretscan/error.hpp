#pragma once
// The one error type of secretscan. Every library's error idiom (libgit2 return codes, RE2's
// ok(), yaml-cpp and CLI11 exceptions) is converted into it in one place, carrying the operation,
// the file or rule it concerns, and the library's own message.

#include <stdexcept>
#include <string>

namespace secretscan {

/// What went wrong, which decides the process exit code (docs/architecture.md, "Errors and exit
/// codes").
enum class ErrorKind {
    usage,   ///< bad flag, missing path, not a git repository: exit code 2
    config,  ///< bad rule pack, bad regex, bad configuration file: exit code 2
    runtime, ///< corrupt or missing object, I/O error while scanning: exit code 3
};

/// A finer reason that callers act on. Decided where the error is raised (from a library's
/// error code), never by matching the text of a message.
enum class ErrorCause {
    unspecified,
    not_a_repository,      ///< no git repository at or above the path (libgit2 GIT_ENOTFOUND)
    unreadable_by_libgit2, ///< libgit2 cannot open the repository or its index, which git may read
                           ///< (a split or sparse index, an unknown extension): use git's plumbing
};

/// Exit code for an error kind: 2 for usage and config errors, 3 for runtime errors.
int exit_code_for(ErrorKind kind) noexcept;

/// `message` with every control byte but newline and tab (C0, DEL, and C1 in UTF-8) written as
/// \xHH: a rule id, key or path quoted from untrusted input can neither cut the message short
/// (a NUL) nor drive the terminal (ESC).
std::string escape_controls(const std::string& message);

/// An error with a kind and a complete, user-facing message ("file:line:col: rule x: what; what
/// to do"), control bytes escaped (escape_controls). Thrown by the library; caught once, in the
/// CLI's run(). Thread-safe to copy.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message, ErrorCause cause = ErrorCause::unspecified)
        : std::runtime_error(escape_controls(message)), m_kind(kind), m_cause(cause)
    {
    }
    ErrorKind kind() const noexcept { return m_kind; }
    ErrorCause cause() const noexcept { return m_cause; }

private:
    ErrorKind m_kind;
    ErrorCause m_cause;
};

} // namespace secretscan
