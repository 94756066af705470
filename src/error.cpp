#include <secretscan/error.hpp>

namespace secretscan {

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
