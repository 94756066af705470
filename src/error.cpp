#include <secretscan/error.hpp>

#include "util/strings.hpp"

namespace secretscan {

std::string escape_controls(const std::string& message)
{
    return printable(message, "\n\t");
}

int exit_code_for(ErrorKind kind) noexcept
{
    switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::config:
        return 2;
    case ErrorKind::runtime:
        return 3;
    }
    return 3;
}

} // namespace secretscan
