#pragma once
// Lookup tables of named functions (the detectors, the extractors): a name's function and the
// list of names, in table order. Header-only; thread-safe on a table that is not changed.

#include <string_view>
#include <utility>
#include <vector>

namespace secretscan {

template <class Fn>
using NamedTable = std::vector<std::pair<std::string_view, Fn>>;

/// The function named `name` in `table`, or a default-constructed Fn (nullptr) when none is.
template <class Fn>
Fn find_named(const NamedTable<Fn>& table, std::string_view name) noexcept
{
    for (const auto& [n, fn] : table)
        if (n == name) return fn;
    return Fn{};
}

/// The names of `table`, in its order.
template <class Fn>
std::vector<std::string_view> names_of(const NamedTable<Fn>& table)
{
    std::vector<std::string_view> names;
    for (const auto& entry : table) names.push_back(entry.first);
    return names;
}

} // namespace secretscan
