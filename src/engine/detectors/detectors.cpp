#include <secretscan/engine/detectors.hpp>

#include "engine/detectors/syntax.hpp"
#include "util/named.hpp"

#include <utility>

namespace secretscan {

namespace {

const NamedTable<DetectorFn>& table()
{
    static const NamedTable<DetectorFn> detectors = {
        {"assignment", detect::assignment_detector()},
        {"login-call", detect::login_call_detector()},
        {"kubernetes-secret", detect::kubernetes_secret_detector()},
    };
    return detectors;
}

} // namespace

DetectorFn find_detector(std::string_view name) noexcept
{
    return find_named(table(), name);
}

const std::vector<std::string_view>& detector_names() noexcept
{
    static const std::vector<std::string_view> names = names_of(table());
    return names;
}

} // namespace secretscan
