#include <secretscan/engine/detectors.hpp>

#include "engine/detectors/syntax.hpp"

#include <utility>

namespace secretscan {

namespace {

const std::vector<std::pair<std::string_view, DetectorFn>>& table()
{
    static const std::vector<std::pair<std::string_view, DetectorFn>> detectors = {
        {"assignment", detect::assignment_detector()},
        {"login-call", detect::login_call_detector()},
        {"kubernetes-secret", detect::kubernetes_secret_detector()},
    };
    return detectors;
}

} // namespace

DetectorFn find_detector(std::string_view name) noexcept
{
    for (const auto& [n, fn] : table())
        if (n == name) return fn;
    return nullptr;
}

const std::vector<std::string_view>& detector_names() noexcept
{
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v;
        for (const auto& [n, fn] : table()) v.push_back(n);
        return v;
    }();
    return names;
}

} // namespace secretscan
