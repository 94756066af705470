// The scanned-blob cache of history scans (issue 16, item 2): a warm run reports what a cold
// one did without reading a blob, a changed rule set misses, a damaged cache file is named,
// rebuilt and never trusted, and an unusable cache folder never fails a scan.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>

using namespace testing;
namespace fs = std::filesystem;
using Locs = std::vector<std::string>;

namespace {

const std::string aws_key = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::string stripe_key = std::string("sk_live_") + "51Hq7LmZ2xV9rT4wN8kP3sQ1aB6cD9eF2gH5jK8mN0pR3tU6wX9zA2bC5dE8fG1hJ4kL7mN0pQ3rS6";

/// Three commits: a key in k.env (removed again), a binary file, a key in a commit message.
/// Returns the id of the blob that held the removed key.
std::string history_repo(const TempDir& d)
{
    git_init(d.path());
    write_file(d / "a.txt", "hello\n");
    write_file(d / "k.env", "AWS_KEY=" + aws_key + "\n");
    sh("git add . && git commit -qm one", d.path());
    const std::string blob = git({"rev-parse", "HEAD:k.env"}, d.path()).out.substr(0, 40);
    sh("printf '\\x89PNG\\r\\n\\x1a\\n\\0\\0\\0\\rIHDR\\0\\0' > bin.dat && git rm -q k.env && git add bin.dat && git commit -qm two", d.path());
    write_file(d / "a.txt", "hello again\n");
    sh("git commit -qam 'three STRIPE=" + stripe_key + "'", d.path());
    return blob;
}

/// The report without its run time, the one field two runs may differ in.
std::string without_seconds(const std::string& json_report)
{
    nlohmann::json j = nlohmann::json::parse(json_report);
    j["stats"].erase("seconds");
    return j.dump(2);
}

/// "H of N" from -v's note "cache: H of N items from FILE", or "" when there is none.
std::string cache_note(const std::string& err)
{
    std::smatch m;
    return std::regex_search(err, m, std::regex("cache: ([0-9]+ of [0-9]+) items from ")) ? m[1].str() : "";
}

/// The one cache file in `dir`.
std::string cache_file(const std::string& dir)
{
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".sqlite") files.push_back(e.path().string());
    REQUIRE(files.size() == 1);
    return files.front();
}

/// What history_repo's scan finds: the key in the third commit's message, and in k.env.
Locs found(const TempDir& d)
{
    const std::string third = git({"rev-parse", "HEAD"}, d.path()).out.substr(0, 12);
    return {"commit " + third + " message:1:14:stripe-secret-key", "k.env:1:9:aws-access-key-id"};
}

RunResult history(const TempDir& repo, const std::string& cache, const std::vector<std::string>& extra = {})
{
    std::vector<std::string> args{"history", "--format", "json", "-v", "--cache", cache};
    args.insert(args.end(), extra.begin(), extra.end());
    return secretscan(args, repo.path());
}

} // namespace

TEST_CASE("history cache: a warm run reports byte for byte what the cold run did, reading no blob", "[cache]")
{
    TempDir d, c;
    const std::string blob = history_repo(d);
    const RunResult cold = history(d, c.path());
    REQUIRE(cold.exit_code == 1);
    CHECK(cache_note(cold.err) == "0 of 7"); // 4 blobs (a.txt twice, k.env, bin.dat), 3 messages
    CHECK(locations(nlohmann::json::parse(cold.out)) == found(d));
    const auto skipped = nlohmann::json::parse(cold.out)["stats"]["skipped"];
    const std::string bin = git({"rev-parse", "HEAD:bin.dat"}, d.path()).out.substr(0, 12);
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0]["name"] == "bin.dat (blob " + bin + ")");
    CHECK(skipped[0]["reason"] == "binary (NUL byte in the first 8000 bytes)");
    // The blob that held the key is gone from the object database: only the cache knows it.
    fs::remove(d / (".git/objects/" + blob.substr(0, 2) + "/" + blob.substr(2)));
    const RunResult warm = history(d, c.path());
    INFO(warm.err);
    REQUIRE(warm.exit_code == 1);
    CHECK(cache_note(warm.err) == "7 of 7");
    CHECK(warm.err.find("cache: 3 of 3 commits' changes") != std::string::npos);
    CHECK(without_seconds(warm.out) == without_seconds(cold.out));
    // Without the cache the missing blob is an error: the warm run did not read it.
    CHECK(secretscan({"history", "--no-cache"}, d.path()).exit_code == 3);
}

TEST_CASE("history cache: another rule set or --max-file-size misses the cache", "[cache]")
{
    TempDir d, c;
    history_repo(d);
    REQUIRE(history(d, c.path()).exit_code == 1);
    const RunResult other = history(d, c.path(), {"--disable-rule", "github-pat"});
    CHECK(other.exit_code == 1);
    CHECK(cache_note(other.err) == "0 of 7");
    CHECK(locations(nlohmann::json::parse(other.out)) == found(d));
    const RunResult smaller = history(d, c.path(), {"--max-file-size", "5"});
    CHECK(cache_note(smaller.err) == "0 of 7");
    CHECK(nlohmann::json::parse(smaller.out)["stats"]["skipped"].size() == 4); // a.txt twice, k.env, bin.dat
    CHECK(cache_note(history(d, c.path()).err) == "7 of 7"); // the first rule set's entries are kept
}

TEST_CASE("history cache: a damaged cache file is named on stderr, rebuilt and never trusted", "[cache]")
{
    const auto damage = GENERATE(as<std::string>{}, "page", "truncate", "value");
    TempDir d, c;
    history_repo(d);
    const RunResult cold = history(d, c.path());
    REQUIRE(cold.exit_code == 1);
    const std::string file = cache_file(c.path());
    REQUIRE(!fs::exists(file + "-wal")); // the last connection folded the log into the file
    std::string bytes = read_file(file);
    REQUIRE(bytes.size() > 8192);
    if (damage == "page") { // a whole page of garbage in the middle
        for (std::size_t i = 4096; i < 8192; ++i) bytes[i] = static_cast<char>(0xA5 ^ i);
    } else if (damage == "truncate") { // a torn write
        bytes.resize(bytes.size() / 2);
    } else { // one byte of a stored finding: SQLite sees nothing wrong, the entry's checksum does
        const auto at = bytes.find(aws_key);
        REQUIRE(at != std::string::npos);
        bytes[at + 4] = 'X';
    }
    { std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes; }
    const RunResult after = history(d, c.path());
    INFO(damage << "\n" << after.err);
    CHECK(after.exit_code == 1);
    CHECK(after.err.find("secretscan: warning: the cache " + file + " is damaged (") != std::string::npos);
    CHECK(after.err.find("): deleted, built anew") != std::string::npos);
    CHECK(cache_note(after.err) == "0 of 7");
    nlohmann::json report = nlohmann::json::parse(after.out); // the warning is the report's too
    REQUIRE(report["warnings"].size() == 1);
    CHECK(report["warnings"][0].get<std::string>().starts_with("the cache " + file + " is damaged ("));
    report["warnings"] = nlohmann::json::array();
    CHECK(without_seconds(report.dump()) == without_seconds(cold.out));
    const RunResult rebuilt = history(d, c.path());
    CHECK(rebuilt.err.find("warning") == std::string::npos);
    CHECK(cache_note(rebuilt.err) == "7 of 7");
    CHECK(without_seconds(rebuilt.out) == without_seconds(cold.out));
}

TEST_CASE("history cache: a cache folder that cannot be created is a warning, and the scan goes on", "[cache]")
{
    TempDir d, c;
    history_repo(d);
    write_file(c / "file", "not a folder\n");
    const RunResult r = history(d, c / "file/cache");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("secretscan: warning: cannot create the cache folder " + c / "file/cache" + " (") != std::string::npos);
    CHECK(r.err.find("): scanning without the cache") != std::string::npos);
    CHECK(cache_note(r.err).empty());
    CHECK(locations(nlohmann::json::parse(r.out)) == found(d));
    CHECK(nlohmann::json::parse(r.out)["warnings"][0].get<std::string>().starts_with("cannot create the cache folder " + c / "file/cache" + " ("));
    const RunResult file = history(d, c / "file"); // a file where the folder would be
    CHECK(file.exit_code == 1);
    CHECK(file.err.find("secretscan: warning: the cache folder " + c / "file" + " is not a folder: scanning without the cache\n") !=
          std::string::npos);
    CHECK(cache_note(file.err).empty());
}

TEST_CASE("history cache: on by default in $XDG_CACHE_HOME/secretscan, and --no-cache creates nothing", "[cache]")
{
    TempDir d, x;
    history_repo(d);
    const RunResult off = secretscan({"history", "--no-cache", "-v"}, d.path(), {"XDG_CACHE_HOME=" + x / "xdg"});
    CHECK(off.exit_code == 1);
    CHECK(cache_note(off.err).empty());
    CHECK(!fs::exists(x / "xdg"));
    const RunResult on = secretscan({"history", "-v"}, d.path(), {"XDG_CACHE_HOME=" + x / "xdg"});
    CHECK(on.exit_code == 1);
    CHECK(cache_note(on.err) == "0 of 7");
    CHECK(cache_file(x / "xdg/secretscan").find(x / "xdg/secretscan/history-") == 0);
    CHECK(secretscan({"history", "--no-cache", "--cache", x / "c"}, d.path()).exit_code == 2); // one or the other
}

TEST_CASE("history cache: concurrent runs share a cache file", "[cache]")
{
    TempDir d, c;
    history_repo(d);
    const std::string run = "'" + std::string(SECRETSCAN_BINARY) + "' history --format json --cache '" + c.path() + "'";
    sh("for i in 1 2 3 4; do (set +e; " + run + " > out$i.json 2> err$i.txt; echo $? > rc$i) & done; wait", d.path());
    for (const char* i : {"1", "2", "3", "4"}) {
        INFO(read_file(d / (std::string("err") + i + ".txt")));
        CHECK(read_file(d / (std::string("rc") + i)) == "1\n");
        CHECK(locations(nlohmann::json::parse(read_file(d / (std::string("out") + i + ".json")))) == found(d));
        CHECK(read_file(d / (std::string("err") + i + ".txt")).find("warning") == std::string::npos);
    }
    CHECK(cache_note(history(d, c.path()).err) == "7 of 7");
}

TEST_CASE("history cache: a blob cached under one path key is read again under another", "[cache]")
{
    TempDir d, c;
    git_init(d.path());
    write_file(c / "env-only.yaml", "rules:\n  - id: acme-key\n    regex: '(acme_[0-9]{8})'\n    keywords: [acme_]\n    paths: ['**/*.env']\n");
    write_file(d / "a.txt", "k=acme_73916482\n");
    sh("git add a.txt && git commit -qm one", d.path());
    const std::vector<std::string> rules{"--rules", c / "env-only.yaml"};
    const RunResult first = history(d, c / "cache", rules);
    CHECK(first.exit_code == 0); // the rule does not apply to a.txt
    CHECK(cache_note(first.err) == "0 of 2");
    sh("cp a.txt b.env && git add b.env && git commit -qm two", d.path()); // the same blob at a path the rule covers
    const RunResult second = history(d, c / "cache", rules);
    CHECK(second.exit_code == 1);
    CHECK(cache_note(second.err) == "2 of 4"); // a.txt's blob and message one; b.env's is read
    CHECK(locations(nlohmann::json::parse(second.out)) == Locs{"b.env:1:3:acme-key"});
}

TEST_CASE("history cache: the files of repositories no run opened for 30 days are deleted", "[cache]")
{
    TempDir d, c;
    history_repo(d);
    sh("touch -d '31 days ago' history-0123456789abcdef.sqlite history-0123456789abcdef.sqlite-wal && "
       "touch -d '29 days ago' history-fedcba9876543210.sqlite && touch -d '31 days ago' notes.txt", c.path());
    CHECK(history(d, c.path()).exit_code == 1);
    CHECK(!fs::exists(c / "history-0123456789abcdef.sqlite"));
    CHECK(!fs::exists(c / "history-0123456789abcdef.sqlite-wal"));
    CHECK(fs::exists(c / "history-fedcba9876543210.sqlite"));
    CHECK(fs::exists(c / "notes.txt")); // not a cache file
    // The repository's own file, however old, is in use: kept, and dated now.
    fs::remove(c / "history-fedcba9876543210.sqlite");
    const std::string own = cache_file(c.path());
    sh("touch -d '31 days ago' '" + own + "'", c.path());
    CHECK(history(d, c.path()).exit_code == 1);
    CHECK(fs::exists(own));
    CHECK(fs::last_write_time(own) > fs::file_time_type::clock::now() - std::chrono::hours(1));
}

TEST_CASE("history cache: the cache file is its owner's alone, in a folder others may read", "[cache]")
{
    TempDir d, x;
    history_repo(d);
    fs::create_directories(x / "shared");
    fs::permissions(x / "shared", fs::perms(0755));
    const RunResult r = history(d, x / "shared");
    CHECK(r.exit_code == 1);
    CHECK((fs::status(cache_file(x / "shared")).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
}
