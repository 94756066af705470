#include "support.hpp"

#include <secretscan/engine/scanner.hpp>
#include <secretscan/rules/pack.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace testing {

TempDir::TempDir()
{
    std::string tmpl = (fs::temp_directory_path() / "secretscan-test.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) FAIL("mkdtemp: " << std::strerror(errno));
    m_path = tmpl;
}

TempDir::~TempDir()
{
    if (std::getenv("SECRETSCAN_KEEP_TMP")) {
        std::fprintf(stderr, "kept %s\n", m_path.c_str());
        return;
    }
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& content)
{
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
    REQUIRE(out.good());
}

RunResult run(const std::vector<std::string>& args, const std::string& cwd, const std::vector<std::string>& env,
              const std::string& input)
{
    TempDir io;
    const std::string in_path = io / "stdin", out_path = io / "stdout", err_path = io / "stderr";
    write_file(in_path, input);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
        if (!freopen(in_path.c_str(), "r", stdin) || !freopen(out_path.c_str(), "w", stdout) ||
            !freopen(err_path.c_str(), "w", stderr))
            _exit(127);
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
        // A scanned-blob cache of its own, empty, for each command (a test passes its own with
        // env): no result depends on, or lands in, the developer's cache.
        setenv("XDG_CACHE_HOME", (io / "cache").c_str(), 1);
        setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
        unsetenv("GIT_INDEX_FILE");
        unsetenv("GIT_DIR");
        // Messages in English whatever the developer's locale (a test names another with env).
        for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) unsetenv(name);
        for (const auto& e : env) {
            const auto eq = e.find('=');
            setenv(e.substr(0, eq).c_str(), e.substr(eq + 1).c_str(), 1);
        }
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

RunResult secretscan(const std::vector<std::string>& args, const std::string& cwd, const std::vector<std::string>& env,
                     const std::string& input)
{
    std::vector<std::string> full{SECRETSCAN_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    return run(full, cwd, env, input);
}

void sh(const std::string& script, const std::string& cwd, const std::vector<std::string>& env)
{
    const RunResult r = run({"bash", "-euo", "pipefail", "-c", script}, cwd, env);
    INFO("script: " << script << "\nstdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
}

nlohmann::json scan_json(const std::vector<std::string>& args, const std::string& cwd, int expected_exit,
                         const std::vector<std::string>& env)
{
    std::vector<std::string> full{"--format", "json"};
    full.insert(full.end(), args.begin(), args.end());
    const RunResult r = secretscan(full, cwd, env);
    INFO("secretscan " << args.front() << " in " << cwd << "\nstdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == expected_exit);
    return nlohmann::json::parse(r.out);
}

void build_case(const std::string& id, const std::string& dir, const std::string& mode)
{
    const fs::path cases(SECRETSCAN_CASES_DIR);
    INFO("the shared failure cases are expected at " << cases.string() << " (../shared/cases beside the checkout)");
    REQUIRE(fs::is_directory(cases));
    std::string script;
    for (const auto& e : fs::directory_iterator(cases))
        if (e.is_directory() && e.path().filename().string().rfind(id + "-", 0) == 0) script = (e.path() / "make.sh").string();
    REQUIRE(!script.empty());
    std::vector<std::string> args{"bash", script, dir};
    if (!mode.empty()) args.push_back(mode);
    const RunResult r = run(args);
    INFO("make.sh: " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

std::vector<std::string> locations(const nlohmann::json& report)
{
    std::vector<std::string> out;
    for (const auto& f : report.at("findings")) {
        const std::string where = f.at("path").get<std::string>().empty() ? f.at("source_name").get<std::string>()
                                                                          : f.at("path").get<std::string>();
        out.push_back(where + ":" + std::to_string(f.at("line").get<int>()) + ":" + std::to_string(f.at("column").get<int>()) +
                      ":" + f.at("rule_id").get<std::string>());
    }
    return out;
}

void git_init(const std::string& dir)
{
    fs::create_directories(dir);
    sh("git init -q . && git symbolic-ref HEAD refs/heads/main && git config user.name 'Test Author' && "
       "git config user.email test@example.invalid && git config commit.gpgsign false && "
       "git config core.hooksPath /nonexistent/hooks",
       dir);
}

} // namespace testing

namespace testing {

void git_init_with_hooks(const std::string& dir)
{
    fs::create_directories(dir);
    sh("git init -q . && git symbolic-ref HEAD refs/heads/main && git config user.name 'Test Author' && "
       "git config user.email test@example.invalid && git config commit.gpgsign false",
       dir);
}

RunResult git(const std::vector<std::string>& args, const std::string& cwd, const std::vector<std::string>& env)
{
    std::vector<std::string> full{"git"};
    full.insert(full.end(), args.begin(), args.end());
    return run(full, cwd, env);
}

std::string binary_dir()
{
    return fs::path(SECRETSCAN_BINARY).parent_path().string();
}

std::vector<std::pair<std::string, std::string>> shipped_rule_examples()
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const secretscan::Rule& r : secretscan::builtin_rules())
        out.emplace_back(r.id + "/" + secretscan::example_path(r), r.examples.at(0));
    return out;
}

std::string base64_of(std::string_view bytes, bool url_safe)
{
    const char* alphabet = url_safe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                                    : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[group >> 18 & 63];
        out += alphabet[group >> 12 & 63];
        out += i + 1 < bytes.size() ? alphabet[group >> 6 & 63] : '=';
        out += i + 2 < bytes.size() ? alphabet[group & 63] : '=';
    }
    return out;
}

DeltaTexts::DeltaTexts(std::vector<std::string> pieces, unsigned seed, std::size_t max_copy)
    : m_pieces(std::move(pieces)), m_random(seed), m_max_copy(max_copy)
{
}

std::string DeltaTexts::base(std::size_t size)
{
    std::string out;
    while (out.size() < size) out += m_pieces[pick(m_pieces.size())];
    return out;
}

void DeltaTexts::derive(const std::string& base, int rounds, std::size_t size,
                        const std::function<void(const std::string&, const std::vector<Copy>&)>& check)
{
    for (int round = 0; round < rounds; ++round) {
        std::string text;
        std::vector<Copy> copies;
        while (text.size() < size) {
            if (pick(3) == 0) {
                for (std::size_t n = 1 + pick(4); n > 0; --n) {
                    const std::string& p = m_pieces[pick(m_pieces.size())];
                    text += p.substr(pick(p.size())); // a piece's tail, or all of it
                }
            } else {
                const std::size_t from = pick(base.size()), length = 1 + pick(std::min(m_max_copy, base.size() - from));
                copies.push_back({text.size(), from, length});
                text += base.substr(from, length);
            }
        }
        check(text, copies);
    }
}

} // namespace testing
