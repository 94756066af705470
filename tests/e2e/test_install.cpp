// What a user gets besides the binary (issue 15): the man pages and completions written from
// the command line's definition, and messages in Japanese through gettext. The Debian package
// itself is tested by tests/package/deb_install.sh (it installs on the machine).
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using testing::binary_dir;
using testing::git;
using testing::git_init_with_hooks;
using testing::read_file;
using testing::run;
using testing::secretscan;
using testing::sh;
using testing::TempDir;
using testing::write_file;

namespace {

const std::string aws_key = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::vector<std::string> ja{"LANG=ja_JP.UTF-8"};

/// What bash completion offers for `line` (the cursor at its end), with the generated script.
std::string bash_complete(const std::string& line, const std::string& cwd = "/")
{
    const std::string script = "source '" + binary_dir() + "/completions/secretscan.bash'\n"
                               "read -ra COMP_WORDS <<<\"$LINE\"\n"
                               "[[ $LINE == *' ' ]] && COMP_WORDS+=('')\n"
                               "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                               "if [[ ${COMP_WORDS[0]} == git ]]; then _git_secretscan; else _secretscan; fi\n"
                               "printf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '";
    const auto r = run({"bash", "-c", script}, cwd, {"LINE=" + line, "PATH=" + binary_dir() + ":/usr/bin:/bin"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

/// Every key the loaders of `source` accept, read from the code that reads them.
std::set<std::string> keys_in(const std::string& source, const std::string& pattern)
{
    const std::string text = read_file(std::string(SECRETSCAN_SOURCE_DIR) + "/" + source);
    std::set<std::string> keys;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) keys.insert((*it)[1]);
    return keys;
}

bool page_names(const std::string& page, const std::string& name)
{
    // A key is a tagged paragraph: ".B key" or ".BR key ..." (several keys on one line).
    return std::regex_search(page, std::regex("\n\\.BR? (\"[^\"]*\" )?" + name + "( |\n)")) ||
           std::regex_search(page, std::regex("\n\\.BR [^\n]*\" " + name + "( |\n)"));
}

} // namespace

TEST_CASE("i18n: a commit blocked under LANG=ja_JP.UTF-8 explains itself in Japanese", "[install][i18n]")
{
    const auto locales = run({"locale", "-a"});
    INFO("generate the locale: sed -i 's/^# ja_JP.UTF-8/ja_JP.UTF-8/' /etc/locale.gen && locale-gen (.ci/run does)");
    REQUIRE(std::regex_search(locales.out, std::regex("^ja_JP\\.utf8$", std::regex::multiline)));
    TempDir d;
    git_init_with_hooks(d.path());
    REQUIRE(secretscan({"install"}, d.path()).exit_code == 0);
    write_file(d / "app.env", "REGION=eu\nKEY=" + aws_key + "\n");
    sh("git add app.env", d.path());
    const auto r = git({"commit", "-m", "add config"}, d.path(), ja);
    INFO(r.err);
    CHECK(r.exit_code != 0);
    CHECK(git({"rev-parse", "-q", "--verify", "HEAD"}, d.path()).exit_code != 0); // nothing committed
    CHECK(r.err.find("secretscan: ステージされた変更にシークレットが 1 件あります:\n"
                     "app.env:2:5: aws-access-key-id: AKIA\u2026\n"
                     "コミットを止めました。続けるには:\n"
                     "  - ファイルから取り除き、変更をもう一度ステージしてください。\n"
                     "  - 本物なら、無効化して新しいものに替えてください (ローテーション): secretscan rules explain aws-access-key-id;\n") !=
          std::string::npos);
    CHECK(r.err.find("  - 今回だけこのチェックを省くには: git commit --no-verify\n") != std::string::npos);
    // The advice it points to, in Japanese too: AWS's steps, from the second key to AWS Support.
    const auto explain = secretscan({"rules", "explain", "aws-access-key-id"}, d.path(), ja);
    CHECK(explain.out.find("漏洩したときの対処:\nリポジトリが非公開でも、キーは漏洩したものとして扱ってください。\n"
                           "1. IAM で、同じユーザーまたはロールに 2 番目のアクセスキーを作成します。\n") != std::string::npos);
    CHECK(explain.out.find("3. 漏洩したキーを無効化します (まだ削除はしないでください)。\n") != std::string::npos);
    CHECK(explain.out.find("9. 説明のつかない操作が見つかったら、AWS サポートにケースを作成してください。\n") != std::string::npos);
    // Japanese has no spaces between words: the wrapped paragraph breaks between characters,
    // at 96 columns (a kana or kanji is two), not at the few spaces it has.
    CHECK(explain.out.find("攻撃者がこれを使ってできること:\n"
                           "アクセスキー ID とそのシークレットアクセスキーがあれば、誰でもその IAM ユーザーまたはロールとし\n"
                           "て AWS を呼び出せます。") != std::string::npos);
}

TEST_CASE("i18n: a message without a translation falls back to English, machine formats never change", "[install][i18n]")
{
    TempDir d;
    // No translation of this rule's remediation: the English text, never an empty line.
    const auto explain = secretscan({"rules", "explain", "github-pat"}, d.path(), ja);
    REQUIRE(explain.exit_code == 0);
    const std::size_t at = explain.out.find("漏洩したときの対処:\n");
    REQUIRE(at != std::string::npos);
    const std::string first = explain.out.substr(at + std::string("漏洩したときの対処:\n").size(), 40);
    CHECK(std::regex_search(first, std::regex("^[A-Z][a-z]")));
    // JSON, CSV and SARIF are the same bytes in every locale (bar the scan's duration).
    testing::git_init(d.path());
    write_file(d / "app.env", "KEY=" + aws_key + "\n");
    sh("git add app.env && git commit -qm add", d.path());
    for (const char* format : {"json", "csv", "sarif", "gitlab"}) {
        const auto en = secretscan({"history", "--format", format}, d.path());
        const auto jp = secretscan({"history", "--format", format}, d.path(), ja);
        const std::regex timing("\"(seconds|start_time|end_time)\": *[^,\n]*");
        CHECK(std::regex_replace(en.out, timing, "") == std::regex_replace(jp.out, timing, ""));
        CHECK(jp.err.find("1 件検出") != std::string::npos); // the summary line is for people
    }
}

TEST_CASE("completion: bash completes commands, options, formats, rule ids and revisions", "[install][completion]")
{
    CHECK(bash_complete("secretscan ru") == "rules ");
    CHECK(bash_complete("secretscan rules ex") == "explain ");
    CHECK(bash_complete("secretscan rules explain aws-access-k") == "aws-access-key-id ");
    CHECK(bash_complete("secretscan --disable-rule aws-secret-a") == "aws-secret-access-key ");
    CHECK(bash_complete("secretscan scan --format js") == "json jsonl ");
    CHECK(bash_complete("secretscan scan --no-ig") == "--no-ignore ");
    CHECK(bash_complete("secretscan --min-confidence ") == "high low medium ");
    CHECK(bash_complete("secretscan install --hooks pre-") == "pre-commit pre-push ");
    CHECK(bash_complete("secretscan completion f") == "fish ");
    CHECK(bash_complete("git secretscan hi") == "history ");
    TempDir d;
    testing::git_init(d.path());
    sh("git commit -q --allow-empty -m one && git tag v1.0", d.path());
    CHECK(bash_complete("secretscan history v", d.path()) == "v1.0 ");
    CHECK(bash_complete("secretscan -C " + d.path() + "/.gi", "/").find(d.path() + "/.git") != std::string::npos);
}

TEST_CASE("completion: the zsh and fish scripts parse, and fish completes from them", "[install][completion]")
{
    const std::string dir = binary_dir() + "/completions/";
    INFO("install zsh and fish (.ci/run does): the completions for them are tested with them");
    const auto zsh = run({"zsh", "-n", dir + "_secretscan"});
    INFO(zsh.err);
    CHECK(zsh.exit_code == 0);
    const auto parsed = run({"fish", "--no-execute", dir + "secretscan.fish"});
    INFO(parsed.err);
    CHECK(parsed.exit_code == 0);
    const auto fish = run({"fish", "--no-config", "-c", "source " + dir + "secretscan.fish; complete -C'secretscan --format s'"},
                          "", {"PATH=" + binary_dir() + ":/usr/bin:/bin"});
    CHECK(fish.out.substr(0, fish.out.find('\t')) == "sarif"); // then a tab and the option's description
    CHECK(fish.out.find('\n') == fish.out.size() - 1);
    const auto ids = run({"fish", "--no-config", "-c", "source " + dir + "secretscan.fish; complete -C'secretscan rules explain aws-access-k'"},
                         "", {"PATH=" + binary_dir() + ":/usr/bin:/bin"});
    CHECK(ids.out.substr(0, ids.out.find_first_of("\t\n")) == "aws-access-key-id");
    CHECK(ids.out.find('\n') == ids.out.size() - 1);
}

TEST_CASE("man: the pages render cleanly, list every option and every configuration and rule key", "[install][man]")
{
    const std::string man = binary_dir() + "/man/";
    for (const char* page : {"man1/secretscan.1", "man1/git-secretscan.1", "man5/secretscan-config.5", "man5/secretscan-rules.5"}) {
        // From the man folder: git-secretscan.1 is ".so man1/secretscan.1", relative to it.
        const auto r = run({"man", "--warnings", "-l", page}, man, {"MANWIDTH=100", "MANPAGER=cat"});
        INFO(page << "\n" << r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
    }
    // secretscan(1) holds what the binary says of itself now (the build writes it from `manpage`).
    const std::string page = read_file(man + "man1/secretscan.1");
    const auto sections = secretscan({"manpage"});
    REQUIRE(sections.exit_code == 0);
    CHECK(page.find(sections.out) != std::string::npos);
    CHECK(page.find(".TH SECRETSCAN 1 \"\" \"secretscan " SECRETSCAN_VERSION "\"") != std::string::npos); // the footer
    for (const char* option : {"\\-\\-no\\-ignore", "\\-\\-all\\-lines", "\\-\\-min\\-confidence", "\\-\\-exit\\-zero", "\\-\\-hooks"})
        CHECK(page.find(option) != std::string::npos);
    // `git secretscan --help` opens the page (git runs man git-secretscan).
    const auto help = run({"git", "secretscan", "--help"}, "", {"MANPATH=" + man, "MANPAGER=cat", "MANWIDTH=100",
                                                               "PATH=" + binary_dir() + ":/usr/bin:/bin"});
    CHECK(help.out.find("secretscan history") != std::string::npos);
    // Section 5: every key the configuration, baseline and rule-pack loaders accept.
    const std::string config = read_file(man + "man5/secretscan-config.5");
    for (const std::string& k : keys_in("src/config/config.cpp", "(?:key|k) == \"([a-z_]+)\""))
    {
        INFO("secretscan-config(5) lacks " << k);
        CHECK(page_names(config, k));
    }
    for (const std::string& k : keys_in("src/config/baseline.cpp", "\"(fingerprint|rule_id|path|line|commit|reason|expires)\""))
    {
        INFO("secretscan-config(5) lacks " << k);
        CHECK(page_names(config, k));
    }
    const std::string rules = read_file(man + "man5/secretscan-rules.5");
    for (const std::string& k : keys_in("src/rules/pack.cpp", "\n        \\{\"([a-z_]+)\", "))
    {
        INFO("secretscan-rules(5) lacks " << k);
        CHECK(page_names(rules, k));
    }
}

TEST_CASE("man: the example pack in secretscan-rules(5) passes rules check", "[install][man]")
{
    const std::string page = read_file(std::string(SECRETSCAN_SOURCE_DIR) + "/docs/man/secretscan-rules.5");
    const std::size_t from = page.find(".SH EXAMPLE\n.nf\n");
    REQUIRE(from != std::string::npos);
    std::string pack = page.substr(from + 16, page.find("\n.fi\n", from) - from - 16);
    pack = std::regex_replace(std::regex_replace(pack, std::regex("\\\\-"), "-"), std::regex("\\\\\\(aq"), "'");
    TempDir d;
    write_file(d / "acme.yaml", pack + "\n");
    const auto r = secretscan({"rules", "check", d / "acme.yaml"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "1 rules, 2 examples checked, 0 failures\n");
}
