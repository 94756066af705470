#include <secretscan/engine/extractors.hpp>

#include "util/encoding.hpp"
#include "util/named.hpp"

#include <utility>

namespace secretscan {

namespace {

Extraction base64_text(std::string_view m)
{
    const auto decoded = decode_base64_lenient(m);
    if (!decoded) return {false, "", "not base64"};
    if (!is_printable_text(*decoded)) return {false, "", "its base64 does not decode to text"};
    return {true, *decoded, ""};
}

Extraction base64_userpass(std::string_view m)
{
    Extraction e = base64_text(m);
    if (!e.ok) return e;
    const std::size_t colon = e.secret.find(':');
    if (colon == std::string::npos || colon + 1 == e.secret.size()) return {false, "", "its base64 is not user:password"};
    return {true, e.secret.substr(colon + 1), ""};
}

Extraction percent(std::string_view m)
{
    const auto decoded = decode_percent(m);
    if (!decoded || !is_printable_text(*decoded)) return {false, "", "not percent-encoded text"};
    return {true, *decoded, ""};
}

const NamedTable<ExtractorFn>& table()
{
    static const NamedTable<ExtractorFn> extractors = {
        {"base64", base64_text}, {"base64-userpass", base64_userpass}, {"percent", percent}};
    return extractors;
}

} // namespace

ExtractorFn find_extractor(std::string_view name) noexcept
{
    return find_named(table(), name);
}

const std::vector<std::string_view>& extractor_names() noexcept
{
    static const std::vector<std::string_view> names = names_of(table());
    return names;
}

} // namespace secretscan
