#include "util/i18n.hpp"

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <libintl.h>
#include <system_error>
#include <vector>

#ifndef SECRETSCAN_LOCALEDIR
#define SECRETSCAN_LOCALEDIR "/usr/local/share/locale"
#endif

namespace secretscan {

namespace {

constexpr const char* domain = "secretscan";

/// Where the catalogues are: the environment's choice, the build tree's, or the installed ones.
std::string catalogue_dir()
{
    if (const char* dir = std::getenv("SECRETSCAN_LOCALEDIR"); dir && *dir) return dir;
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // The build tree (build/secretscan, build/locale), then an installed tree in any prefix
        // (/usr/bin/secretscan, /usr/share/locale): the Debian package's prefix is not the build's.
        for (const auto& dir : {exe.parent_path() / "locale", exe.parent_path().parent_path() / "share" / "locale"})
            if (std::filesystem::exists(dir / "ja" / "LC_MESSAGES" / "secretscan.mo", ec)) return dir.string();
    }
    return SECRETSCAN_LOCALEDIR;
}

} // namespace

void init_messages()
{
    std::setlocale(LC_MESSAGES, "");
    bindtextdomain(domain, catalogue_dir().c_str());
    bind_textdomain_codeset(domain, "UTF-8");
}

const char* tr(const char* msgid)
{
    // gettext("") is the catalogue's header, not an empty message.
    return *msgid ? dgettext(domain, msgid) : msgid;
}

const char* trn(const char* singular, const char* plural, std::uint64_t n)
{
    return dngettext(domain, singular, plural, static_cast<unsigned long>(n));
}

std::string format(std::string_view pattern, std::initializer_list<std::string_view> args)
{
    const std::vector<std::string_view> values(args);
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const std::size_t close = pattern[i] == '{' ? pattern.find('}', i) : std::string_view::npos;
        if (close == i + 2 && pattern[i + 1] >= '0' && pattern[i + 1] <= '9' &&
            static_cast<std::size_t>(pattern[i + 1] - '0') < values.size()) {
            out += values[static_cast<std::size_t>(pattern[i + 1] - '0')];
            i = close;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

} // namespace secretscan
